-- Regular expressions and their flags (5a000014-0000-4000-8000-000000000014)
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
WHERE regexp_like(userIdentity.arn, '.+:assumed-role/aws:.+')
   OR regexp_like(errorMessage, '(?i)line2 abc')
   OR regexp_like(errorMessage, '(?m)^Line2')
   OR regexp_like(errorMessage, '(?s)Line1.Line2')
   OR regexp_like(errorMessage, 'line2')
   OR regexp_like(errorMessage, '^Line2')
ORDER BY eventTime DESC;

-- Case-sensitive regex (5a000015-0000-4000-8000-000000000015)
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
WHERE regexp_like(errorMessage, 'line2')
ORDER BY eventTime DESC;

