-- Equality is whole-value and case-insensitive (5a000001-0000-4000-8000-000000000001)
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
WHERE lower(get_json_object(event, '$.eventSource')) = 'ec2.amazonaws.com'
  AND lower(get_json_object(event, '$.eventName')) IN ('authorizesecuritygroupegress', 'authorizesecuritygroupingress')
  AND NOT COALESCE(lower(get_json_object(event, '$.eventName')) = 'authorize', FALSE)
ORDER BY eventTime DESC;

