-- Cased comparisons (5a000004-0000-4000-8000-000000000004)
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
WHERE get_json_object(event, '$.eventName') = 'AuthorizeSecurityGroupEgress'
   OR get_json_object(event, '$.eventSource') LIKE '%EC2%' ESCAPE '\\'
ORDER BY eventTime DESC;

