-- Not is true over a missing field (5a000008-0000-4000-8000-000000000008)
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
  AND NOT COALESCE(lower(errorCode) = 'client.unauthorizedoperation', FALSE)
ORDER BY eventTime DESC;

-- Neq matches a missing field (5a000009-0000-4000-8000-000000000009)
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
  AND NOT COALESCE(lower(errorCode) IN ('client.unauthorizedoperation', ''), FALSE)
ORDER BY eventTime DESC;

