-- Regular expressions and their flags (5a000014-0000-4000-8000-000000000014)
SELECT
    get_json_object(event, '$.eventTime') AS eventTime,
    get_json_object(event, '$.eventID') AS eventID,
    get_json_object(event, '$.eventSource') AS eventSource,
    get_json_object(event, '$.eventName') AS eventName,
    get_json_object(event, '$.userIdentity.arn') AS `userIdentity.arn`,
    get_json_object(event, '$.sourceIPAddress') AS sourceIPAddress,
    get_json_object(event, '$.awsRegion') AS awsRegion,
    get_json_object(event, '$.errorCode') AS errorCode
FROM cloudtrail_events
WHERE regexp_like(get_json_object(event, '$.userIdentity.arn'), '.+:assumed-role/aws:.+')
   OR regexp_like(get_json_object(event, '$.errorMessage'), '(?i)line2 abc')
   OR regexp_like(get_json_object(event, '$.errorMessage'), '(?m)^Line2')
   OR regexp_like(get_json_object(event, '$.errorMessage'), '(?s)Line1.Line2')
   OR regexp_like(get_json_object(event, '$.errorMessage'), 'line2')
   OR regexp_like(get_json_object(event, '$.errorMessage'), '^Line2')
ORDER BY eventTime DESC;

-- Case-sensitive regex (5a000015-0000-4000-8000-000000000015)
SELECT
    get_json_object(event, '$.eventTime') AS eventTime,
    get_json_object(event, '$.eventID') AS eventID,
    get_json_object(event, '$.eventSource') AS eventSource,
    get_json_object(event, '$.eventName') AS eventName,
    get_json_object(event, '$.userIdentity.arn') AS `userIdentity.arn`,
    get_json_object(event, '$.sourceIPAddress') AS sourceIPAddress,
    get_json_object(event, '$.awsRegion') AS awsRegion,
    get_json_object(event, '$.errorCode') AS errorCode
FROM cloudtrail_events
WHERE regexp_like(get_json_object(event, '$.errorMessage'), 'line2')
ORDER BY eventTime DESC;

