-- Condition precedence and selectors (5a000023-0000-4000-8000-000000000023)
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
WHERE (
      lower(get_json_object(event, '$.eventName')) = 'stoplogging'
      AND NOT COALESCE(lower(get_json_object(event, '$.eventTime')) LIKE '2024-01%' ESCAPE '\\', FALSE)
  )
   OR (
      lower(get_json_object(event, '$.eventSource')) = 'ec2.amazonaws.com'
      AND NOT COALESCE(lower(get_json_object(event, '$.errorCode')) = 'client.unauthorizedoperation', FALSE)
  )
ORDER BY eventTime DESC;

-- All of a pattern (5a000024-0000-4000-8000-000000000024)
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
WHERE lower(get_json_object(event, '$.eventSource')) = 'sts.amazonaws.com'
  AND lower(get_json_object(event, '$.userAgent')) LIKE '%path%' ESCAPE '\\'
ORDER BY eventTime DESC;

