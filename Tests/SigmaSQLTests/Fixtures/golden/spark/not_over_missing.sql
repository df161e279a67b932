-- Not is true over a missing field (5a000008-0000-4000-8000-000000000008)
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
  AND NOT COALESCE(lower(get_json_object(event, '$.errorCode')) = 'client.unauthorizedoperation', FALSE)
ORDER BY eventTime DESC;

-- Neq matches a missing field (5a000009-0000-4000-8000-000000000009)
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
  AND NOT COALESCE(lower(get_json_object(event, '$.errorCode')) IN ('client.unauthorizedoperation', ''), FALSE)
ORDER BY eventTime DESC;

