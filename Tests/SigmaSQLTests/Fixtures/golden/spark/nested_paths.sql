-- Nested paths through structs and JSON columns (5a00000a-0000-4000-8000-00000000000a)
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
      lower(get_json_object(event, '$.userIdentity.sessionContext.attributes.mfaAuthenticated')) = 'false'
      AND lower(get_json_object(event, '$.sessionCredentialFromConsole')) = 'true'
  )
   OR (
      exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.bucketName'), '$', 'array<variant>'), array(variant_get(n, '$.bucketName'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v -> lower(v) = 'logs')
      AND exists(transform(flatten(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.requestParameters'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.requestParameters'))), n -> COALESCE(try_variant_get(variant_get(n, '$.VersioningConfiguration'), '$', 'array<variant>'), array(variant_get(n, '$.VersioningConfiguration'))))), n -> COALESCE(try_variant_get(variant_get(n, '$.Status'), '$', 'array<variant>'), array(variant_get(n, '$.Status'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v2 -> lower(v2) = 'suspended')
  )
   OR lower(get_json_object(event, '$.userIdentity.sessionContext.sessionIssuer.type')) = 'role'
ORDER BY eventTime DESC;

