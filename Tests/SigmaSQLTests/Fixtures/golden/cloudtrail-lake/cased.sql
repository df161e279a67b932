-- Cased comparisons (5a000004-0000-4000-8000-000000000004)
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
WHERE eventName = 'AuthorizeSecurityGroupEgress' OR eventSource LIKE '%EC2%' ESCAPE '\'
ORDER BY eventTime DESC;

