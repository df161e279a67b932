-- Security group changes (5a000025-0000-4000-8000-000000000025)
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
  AND (lower(eventName) LIKE 'authorize%' ESCAPE '\' OR lower(eventName) LIKE 'revoke%' ESCAPE '\')
  AND errorCode IS NULL
  AND NOT COALESCE(lower(userAgent) LIKE 'console.%' ESCAPE '\', FALSE)
ORDER BY eventTime DESC;

