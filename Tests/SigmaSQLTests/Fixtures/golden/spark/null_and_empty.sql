-- Null matches missing and JSON null (5a000005-0000-4000-8000-000000000005)
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
  AND get_json_object(event, '$.errorCode') IS NULL
ORDER BY eventTime DESC;

-- Empty string matches only the empty string (5a000006-0000-4000-8000-000000000006)
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
WHERE lower(get_json_object(event, '$.errorCode')) = ''
ORDER BY eventTime DESC;

-- Not null is a separate selection plus not (5a000007-0000-4000-8000-000000000007)
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
      lower(get_json_object(event, '$.eventSource')) = 'ec2.amazonaws.com'
      AND get_json_object(event, '$.errorCode') IS NOT NULL
  )
   OR (
      (get_json_object(event, '$.errorCode') IS NULL OR lower(get_json_object(event, '$.errorCode')) = '')
      AND lower(get_json_object(event, '$.eventSource')) = 'ec2.amazonaws.com'
  )
ORDER BY eventTime DESC;

