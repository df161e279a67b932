-- Security group changes (5a000025-0000-4000-8000-000000000025)
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
  AND (
      lower(get_json_object(event, '$.eventName')) LIKE 'authorize%' ESCAPE '\\'
      OR lower(get_json_object(event, '$.eventName')) LIKE 'revoke%' ESCAPE '\\'
  )
  AND get_json_object(event, '$.errorCode') IS NULL
  AND NOT COALESCE(lower(get_json_object(event, '$.userAgent')) LIKE 'console.%' ESCAPE '\\', FALSE)
ORDER BY eventTime DESC;

