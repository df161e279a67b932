-- Exists (5a00001b-0000-4000-8000-00000000001b)
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
WHERE COALESCE(exists(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> array(variant_get(n, '$.filter')))), n -> n IS NOT NULL), FALSE)
   OR COALESCE(exists(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> array(variant_get(n, '$.list')))), n -> n IS NOT NULL), FALSE)
ORDER BY eventTime DESC;

-- Exists on a key present with a JSON null (5a00001c-0000-4000-8000-00000000001c)
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
  AND COALESCE(exists(array(variant_get(parse_json(event), '$.errorCode')), n -> n IS NOT NULL), FALSE)
ORDER BY eventTime DESC;

-- Null against an empty array (5a00001d-0000-4000-8000-00000000001d)
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
WHERE lower(get_json_object(event, '$.eventName')) = 'describeinstances'
  AND NOT COALESCE(exists(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> array(variant_get(n, '$.list')))), n -> n IS NOT NULL AND NOT is_variant_null(n)), FALSE)
ORDER BY eventTime DESC;

