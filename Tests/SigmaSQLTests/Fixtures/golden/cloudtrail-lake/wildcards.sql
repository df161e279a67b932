-- Wildcards, contains, startswith, endswith (5a000002-0000-4000-8000-000000000002)
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
WHERE lower(userAgent) LIKE 'console.%.amazonaws.com' ESCAPE '\'
   OR lower(userAgent) LIKE 'aws-cli/_.15' ESCAPE '\'
   OR lower(userAgent) LIKE 'aws-cli/_.1' ESCAPE '\'
   OR lower(userAgent) LIKE 's3 browser%' ESCAPE '\'
   OR lower(eventSource) LIKE '%.amazonaws.com' ESCAPE '\' AND lower(eventName) LIKE '%versioning%' ESCAPE '\'
ORDER BY eventTime DESC;

