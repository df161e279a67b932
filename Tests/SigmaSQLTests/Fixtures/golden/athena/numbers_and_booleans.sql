-- Numbers (5a000018-0000-4000-8000-000000000018)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.count[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v -> regexp_like(v, '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND TRY_CAST(v AS double) = 22)
   OR any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.id[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v2 -> regexp_like(v2, '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND TRY_CAST(v2 AS double) = 4624)
   OR any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.name[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v3 -> regexp_like(v3, '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND TRY_CAST(v3 AS double) = 4624)
ORDER BY eventtime DESC;

-- Numeric comparisons (5a000019-0000-4000-8000-000000000019)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.count[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v -> regexp_like(v, '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND TRY_CAST(v AS double) > 5)
   OR any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.ratio[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v2 -> regexp_like(v2, '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND TRY_CAST(v2 AS double) <= 1.5)
ORDER BY eventtime DESC;

-- Booleans (5a00001a-0000-4000-8000-00000000001a)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.enable[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v -> lower(v) = 'false')
   OR any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.flag[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v2 -> lower(v2) = 'true')
   OR lower(readonly) = 'false'
ORDER BY eventtime DESC;

