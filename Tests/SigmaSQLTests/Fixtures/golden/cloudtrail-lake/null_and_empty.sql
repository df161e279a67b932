-- Null matches missing and JSON null (5a000005-0000-4000-8000-000000000005)
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
  AND errorCode IS NULL
ORDER BY eventTime DESC;

-- Empty string matches only the empty string (5a000006-0000-4000-8000-000000000006)
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
WHERE lower(errorCode) = ''
ORDER BY eventTime DESC;

-- Not null is a separate selection plus not (5a000007-0000-4000-8000-000000000007)
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
WHERE lower(eventSource) = 'ec2.amazonaws.com' AND errorCode IS NOT NULL
   OR (errorCode IS NULL OR lower(errorCode) = '') AND lower(eventSource) = 'ec2.amazonaws.com'
ORDER BY eventTime DESC;

