-- Numbers (5a000018-0000-4000-8000-000000000018)
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
WHERE exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.count'), '$', 'array<variant>'), array(variant_get(n, '$.count'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v -> regexp_like(v, '^-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND try_cast(v AS DOUBLE) = 22)
   OR exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.id'), '$', 'array<variant>'), array(variant_get(n, '$.id'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v2 -> regexp_like(v2, '^-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND try_cast(v2 AS DOUBLE) = 4624)
   OR exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.name'), '$', 'array<variant>'), array(variant_get(n, '$.name'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v3 -> regexp_like(v3, '^-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND try_cast(v3 AS DOUBLE) = 4624)
ORDER BY eventTime DESC;

-- Numeric comparisons (5a000019-0000-4000-8000-000000000019)
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
WHERE exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.count'), '$', 'array<variant>'), array(variant_get(n, '$.count'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v -> regexp_like(v, '^-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND try_cast(v AS DOUBLE) > 5)
   OR exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.ratio'), '$', 'array<variant>'), array(variant_get(n, '$.ratio'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v2 -> regexp_like(v2, '^-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND try_cast(v2 AS DOUBLE) <= 1.5)
ORDER BY eventTime DESC;

-- Booleans (5a00001a-0000-4000-8000-00000000001a)
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
WHERE exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.enable'), '$', 'array<variant>'), array(variant_get(n, '$.enable'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v -> lower(v) = 'false')
   OR exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.flag'), '$', 'array<variant>'), array(variant_get(n, '$.flag'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v2 -> lower(v2) = 'true')
   OR lower(get_json_object(event, '$.readOnly')) = 'false'
ORDER BY eventTime DESC;

