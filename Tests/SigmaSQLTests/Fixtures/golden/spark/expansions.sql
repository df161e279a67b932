-- Expansions stay OR groups (5a000022-0000-4000-8000-000000000022)
-- warning: non-ASCII letters are compared with the engine's lower() on the event side and Unicode lower-casing on the rule side; both differ from Sigma's case folding for a few letters (ß, ſ, ς)
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
WHERE exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.commands'), '$', 'array<variant>'), array(variant_get(n, '$.commands'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(to_json(n), '\\\\', chr(1)), '\\"', '"'), '\\/', '/'), '\\n', chr(10)), '\\t', chr(9)), '\\r', chr(13)), '\\b', chr(8)), '\\f', chr(12)), chr(1), '\\') ELSE variant_get(n, '$', 'string') END), v -> lower(v) LIKE '% -encodedcommand%' ESCAPE '\\' OR lower(v) LIKE '% /encodedcommand%' ESCAPE '\\' OR lower(v) LIKE '% –encodedcommand%' ESCAPE '\\' OR lower(v) LIKE '% —encodedcommand%' ESCAPE '\\' OR lower(v) LIKE '% ―encodedcommand%' ESCAPE '\\')
   OR exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.url'), '$', 'array<variant>'), array(variant_get(n, '$.url'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v2 -> lower(v2) LIKE '%ahr0cdovl%' ESCAPE '\\' OR lower(v2) LIKE '%h0dha6ly%' ESCAPE '\\' OR lower(v2) LIKE '%odhrwoi8v%' ESCAPE '\\')
ORDER BY eventTime DESC;

