-- Objects compared as their JSON text (5a00000b-0000-4000-8000-00000000000b)
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
WHERE exists(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v -> lower(v) LIKE '%suspended%' ESCAPE '\\')
   OR exists(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.responseElements'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.responseElements'))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(to_json(n), '\\\\', chr(1)), '\\"', '"'), '\\/', '/'), '\\n', chr(10)), '\\t', chr(9)), '\\r', chr(13)), '\\b', chr(8)), '\\f', chr(12)), chr(1), '\\') ELSE variant_get(n, '$', 'string') END), v2 -> lower(v2) LIKE '%"\\_return":true%' ESCAPE '\\')
ORDER BY eventTime DESC;

-- Objects compared as their JSON text with strings unescaped (5a00000c-0000-4000-8000-00000000000c)
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
WHERE exists(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(to_json(n), '\\\\', chr(1)), '\\"', '"'), '\\/', '/'), '\\n', chr(10)), '\\t', chr(9)), '\\r', chr(13)), '\\b', chr(8)), '\\f', chr(12)), chr(1), '\\') ELSE variant_get(n, '$', 'string') END), v -> lower(v) LIKE '%"s3:getobject"%' ESCAPE '\\')
  AND exists(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(to_json(n), '\\\\', chr(1)), '\\"', '"'), '\\/', '/'), '\\n', chr(10)), '\\t', chr(9)), '\\r', chr(13)), '\\b', chr(8)), '\\f', chr(12)), chr(1), '\\') ELSE variant_get(n, '$', 'string') END), v2 -> lower(v2) LIKE '%"allow"%' ESCAPE '\\')
ORDER BY eventTime DESC;

-- Escaped characters of an object's text (5a00000d-0000-4000-8000-00000000000d)
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
WHERE exists(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(to_json(n), '\\\\', chr(1)), '\\"', '"'), '\\/', '/'), '\\n', chr(10)), '\\t', chr(9)), '\\r', chr(13)), '\\b', chr(8)), '\\f', chr(12)), chr(1), '\\') ELSE variant_get(n, '$', 'string') END), v -> lower(v) LIKE '%tab\\\\there%' ESCAPE '\\')
   OR exists(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(to_json(n), '\\\\', chr(1)), '\\"', '"'), '\\/', '/'), '\\n', chr(10)), '\\t', chr(9)), '\\r', chr(13)), '\\b', chr(8)), '\\f', chr(12)), chr(1), '\\') ELSE variant_get(n, '$', 'string') END), v2 -> lower(v2) LIKE '%"quoted\\\\"%' ESCAPE '\\')
   OR exists(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(to_json(n), '\\\\', chr(1)), '\\"', '"'), '\\/', '/'), '\\n', chr(10)), '\\t', chr(9)), '\\r', chr(13)), '\\b', chr(8)), '\\f', chr(12)), chr(1), '\\') ELSE variant_get(n, '$', 'string') END), v3 -> lower(v3) LIKE '%"c:\\\\windows\\\\system32"%' ESCAPE '\\')
ORDER BY eventTime DESC;

