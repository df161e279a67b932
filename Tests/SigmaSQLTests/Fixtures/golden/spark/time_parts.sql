-- Time parts (5a000021-0000-4000-8000-000000000021)
-- warning: time-part modifiers read the time in Spark's session time zone: run with spark.sql.session.timeZone=UTC (CloudTrail times are UTC)
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
WHERE hour(try_to_timestamp(get_json_object(event, '$.eventTime'))) >= 22
   OR weekofyear(try_to_timestamp(get_json_object(event, '$.eventTime'))) = 1
ORDER BY eventTime DESC;

