-- Wildcards, contains, startswith, endswith (5a000002-0000-4000-8000-000000000002)
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
WHERE lower(get_json_object(event, '$.userAgent')) LIKE 'console.%.amazonaws.com' ESCAPE '\\'
   OR lower(get_json_object(event, '$.userAgent')) LIKE 'aws-cli/_.15' ESCAPE '\\'
   OR lower(get_json_object(event, '$.userAgent')) LIKE 'aws-cli/_.1' ESCAPE '\\'
   OR lower(get_json_object(event, '$.userAgent')) LIKE 's3 browser%' ESCAPE '\\'
   OR (
      lower(get_json_object(event, '$.eventSource')) LIKE '%.amazonaws.com' ESCAPE '\\'
      AND lower(get_json_object(event, '$.eventName')) LIKE '%versioning%' ESCAPE '\\'
  )
ORDER BY eventTime DESC;

