-- Paths through arrays of objects and arrays at the end (5a00000e-0000-4000-8000-00000000000e)
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
WHERE exists(transform(flatten(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.containerDefinitions'), '$', 'array<variant>'), array(variant_get(n, '$.containerDefinitions'))))), n -> COALESCE(try_variant_get(variant_get(n, '$.command'), '$', 'array<variant>'), array(variant_get(n, '$.command'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v -> lower(v) LIKE '%$aws\\_container\\_credentials\\_relative\\_uri%' ESCAPE '\\')
   OR exists(transform(flatten(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.containerDefinitions'), '$', 'array<variant>'), array(variant_get(n, '$.containerDefinitions'))))), n -> COALESCE(try_variant_get(variant_get(n, '$.command'), '$', 'array<variant>'), array(variant_get(n, '$.command'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v2 -> lower(v2) = 'echo')
   OR exists(transform(flatten(transform(flatten(transform(flatten(transform(flatten(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.ipPermissions'), '$', 'array<variant>'), array(variant_get(n, '$.ipPermissions'))))), n -> COALESCE(try_variant_get(variant_get(n, '$.items'), '$', 'array<variant>'), array(variant_get(n, '$.items'))))), n -> COALESCE(try_variant_get(variant_get(n, '$.ipRanges'), '$', 'array<variant>'), array(variant_get(n, '$.ipRanges'))))), n -> COALESCE(try_variant_get(variant_get(n, '$.items'), '$', 'array<variant>'), array(variant_get(n, '$.items'))))), n -> COALESCE(try_variant_get(variant_get(n, '$.cidrIp'), '$', 'array<variant>'), array(variant_get(n, '$.cidrIp'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(to_json(n), '\\\\', chr(1)), '\\"', '"'), '\\/', '/'), '\\n', chr(10)), '\\t', chr(9)), '\\r', chr(13)), '\\b', chr(8)), '\\f', chr(12)), chr(1), '\\') ELSE variant_get(n, '$', 'string') END), v3 -> lower(v3) LIKE '%/0' ESCAPE '\\')
ORDER BY eventTime DESC;

-- All is evaluated value by value (5a00000f-0000-4000-8000-00000000000f)
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
WHERE exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.tags'), '$', 'array<variant>'), array(variant_get(n, '$.tags'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v -> lower(v) LIKE '%alpha%' ESCAPE '\\')
  AND exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.tags'), '$', 'array<variant>'), array(variant_get(n, '$.tags'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(to_json(n), '\\\\', chr(1)), '\\"', '"'), '\\/', '/'), '\\n', chr(10)), '\\t', chr(9)), '\\r', chr(13)), '\\b', chr(8)), '\\f', chr(12)), chr(1), '\\') ELSE variant_get(n, '$', 'string') END), v2 -> lower(v2) LIKE '%beta%' ESCAPE '\\')
ORDER BY eventTime DESC;

-- Negation comes after the any-aggregation (5a000010-0000-4000-8000-000000000010)
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
WHERE lower(get_json_object(event, '$.eventName')) = 'tagresource'
  AND NOT COALESCE(exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.tags'), '$', 'array<variant>'), array(variant_get(n, '$.tags'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v -> lower(v) = 'xalpha'), FALSE)
ORDER BY eventTime DESC;

-- Arrays nested in arrays (5a000011-0000-4000-8000-000000000011)
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
WHERE exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.nested'), '$', 'array<variant>'), array(variant_get(n, '$.nested'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v -> regexp_like(v, '^-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND try_cast(v AS DOUBLE) = 3)
ORDER BY eventTime DESC;

-- A CloudTrail scalar field holding an array (5a000012-0000-4000-8000-000000000012)
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
WHERE lower(get_json_object(event, '$.userAgent')) = 'trufflehog'
ORDER BY eventTime DESC;

-- Array of structs (5a000013-0000-4000-8000-000000000013)
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
WHERE exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.resources'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.resources'))), n -> COALESCE(try_variant_get(variant_get(n, '$.ARN'), '$', 'array<variant>'), array(variant_get(n, '$.ARN'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v -> lower(v) LIKE '%:::logs' ESCAPE '\\')
ORDER BY eventTime DESC;

