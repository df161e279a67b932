-- Paths through arrays of objects and arrays at the end (5a00000e-0000-4000-8000-00000000000e)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.containerDefinitions.command[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v -> lower(v) LIKE '%$aws\_container\_credentials\_relative\_uri%' ESCAPE '\')
   OR any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.containerDefinitions.command[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v2 -> lower(v2) = 'echo')
   OR any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.ipPermissions.items.ipRanges.items.cidrIp[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), replace(replace(replace(replace(replace(replace(replace(replace(replace(json_format(x), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\'))), v3 -> lower(v3) LIKE '%/0' ESCAPE '\')
ORDER BY eventtime DESC;

-- All is evaluated value by value (5a00000f-0000-4000-8000-00000000000f)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.tags[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v -> lower(v) LIKE '%alpha%' ESCAPE '\')
  AND any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.tags[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), replace(replace(replace(replace(replace(replace(replace(replace(replace(json_format(x), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\'))), v2 -> lower(v2) LIKE '%beta%' ESCAPE '\')
ORDER BY eventtime DESC;

-- Negation comes after the any-aggregation (5a000010-0000-4000-8000-000000000010)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(eventname) = 'tagresource'
  AND NOT COALESCE(any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.tags[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v -> lower(v) = 'xalpha'), FALSE)
ORDER BY eventtime DESC;

-- Arrays nested in arrays (5a000011-0000-4000-8000-000000000011)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.nested[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v -> regexp_like(v, '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND TRY_CAST(v AS double) = 3)
ORDER BY eventtime DESC;

-- A CloudTrail scalar field holding an array (5a000012-0000-4000-8000-000000000012)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(useragent) = 'trufflehog'
ORDER BY eventtime DESC;

-- Array of structs (5a000013-0000-4000-8000-000000000013)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE any_match(resources, v -> lower(v.arn) LIKE '%:::logs' ESCAPE '\')
ORDER BY eventtime DESC;

