-- Field references (5a00001f-0000-4000-8000-00000000001f)
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
WHERE exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.userName'), '$', 'array<variant>'), array(variant_get(n, '$.userName'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(to_json(n), '\\\\', chr(1)), '\\"', '"'), '\\/', '/'), '\\n', chr(10)), '\\t', chr(9)), '\\r', chr(13)), '\\b', chr(8)), '\\f', chr(12)), chr(1), '\\') ELSE variant_get(n, '$', 'string') END), v -> lower(get_json_object(event, '$.userIdentity.arn')) = lower(v))
   OR exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.prefix'), '$', 'array<variant>'), array(variant_get(n, '$.prefix'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(to_json(n), '\\\\', chr(1)), '\\"', '"'), '\\/', '/'), '\\n', chr(10)), '\\t', chr(9)), '\\r', chr(13)), '\\b', chr(8)), '\\f', chr(12)), chr(1), '\\') ELSE variant_get(n, '$', 'string') END), v2 -> startswith(lower(get_json_object(event, '$.userIdentity.arn')), lower(v2)))
ORDER BY eventTime DESC;

-- Negated field reference (5a000020-0000-4000-8000-000000000020)
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
  AND NOT COALESCE(exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.userName'), '$', 'array<variant>'), array(variant_get(n, '$.userName'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(to_json(n), '\\\\', chr(1)), '\\"', '"'), '\\/', '/'), '\\n', chr(10)), '\\t', chr(9)), '\\r', chr(13)), '\\b', chr(8)), '\\f', chr(12)), chr(1), '\\') ELSE variant_get(n, '$', 'string') END), v -> lower(get_json_object(event, '$.userIdentity.arn')) = lower(v)), FALSE)
ORDER BY eventTime DESC;

