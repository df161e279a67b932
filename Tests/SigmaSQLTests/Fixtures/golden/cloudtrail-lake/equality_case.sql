-- Equality is whole-value and case-insensitive (5a000001-0000-4000-8000-000000000001)
SELECT
    format_datetime(eventTime AT TIME ZONE 'UTC', 'yyyy-MM-dd''T''HH:mm:ss''Z''') AS eventTime,
    eventID,
    eventSource,
    eventName,
    userIdentity.arn,
    sourceIPAddress,
    awsRegion,
    errorCode
FROM eds
WHERE lower(eventSource) = 'ec2.amazonaws.com'
  AND lower(eventName) IN ('authorizesecuritygroupegress', 'authorizesecuritygroupingress')
  AND NOT COALESCE(lower(eventName) = 'authorize', FALSE)
ORDER BY eventTime DESC;

