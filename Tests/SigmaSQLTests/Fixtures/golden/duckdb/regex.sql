-- Regular expressions and their flags (5a000014-0000-4000-8000-000000000014)
SELECT
    event ->> '$.eventTime' AS eventTime,
    event ->> '$.eventID' AS eventID,
    event ->> '$.eventSource' AS eventSource,
    event ->> '$.eventName' AS eventName,
    event ->> '$.userIdentity.arn' AS "userIdentity.arn",
    event ->> '$.sourceIPAddress' AS sourceIPAddress,
    event ->> '$.awsRegion' AS awsRegion,
    event ->> '$.errorCode' AS errorCode
FROM cloudtrail_events
WHERE regexp_matches(event ->> '$.userIdentity.arn', '.+:assumed-role/aws:.+')
   OR regexp_matches(event ->> '$.errorMessage', '(?i)line2 abc')
   OR regexp_matches(event ->> '$.errorMessage', '(?m)^Line2')
   OR regexp_matches(event ->> '$.errorMessage', '(?s)Line1.Line2')
   OR regexp_matches(event ->> '$.errorMessage', 'line2')
   OR regexp_matches(event ->> '$.errorMessage', '^Line2')
ORDER BY eventTime DESC;

-- Case-sensitive regex (5a000015-0000-4000-8000-000000000015)
SELECT
    event ->> '$.eventTime' AS eventTime,
    event ->> '$.eventID' AS eventID,
    event ->> '$.eventSource' AS eventSource,
    event ->> '$.eventName' AS eventName,
    event ->> '$.userIdentity.arn' AS "userIdentity.arn",
    event ->> '$.sourceIPAddress' AS sourceIPAddress,
    event ->> '$.awsRegion' AS awsRegion,
    event ->> '$.errorCode' AS errorCode
FROM cloudtrail_events
WHERE regexp_matches(event ->> '$.errorMessage', 'line2')
ORDER BY eventTime DESC;

