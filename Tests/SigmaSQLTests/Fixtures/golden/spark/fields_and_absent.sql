-- Select list from fields (5a000028-0000-4000-8000-000000000028)
SELECT
    get_json_object(event, '$.eventTime') AS eventTime,
    get_json_object(event, '$.eventID') AS eventID,
    get_json_object(event, '$.eventSource') AS eventSource,
    get_json_object(event, '$.eventName') AS eventName,
    get_json_object(event, '$.userIdentity.arn') AS `userIdentity.arn`,
    get_json_object(event, '$.requestParameters.bucketName') AS `requestParameters.bucketName`,
    get_json_object(event, '$.resources.ARN') AS `resources.ARN`
FROM cloudtrail_events
WHERE lower(get_json_object(event, '$.eventName')) = 'putbucketversioning'
ORDER BY eventTime DESC;

-- A field the table has no column for (5a000029-0000-4000-8000-000000000029)
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
WHERE lower(get_json_object(event, '$.eventSource')) = 'iam.amazonaws.com'
  AND NOT COALESCE(exists(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.status'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.status'))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v -> lower(v) = 'success'), FALSE)
ORDER BY eventTime DESC;

