-- Field references (5a00001f-0000-4000-8000-00000000001f)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.userName[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), replace(replace(replace(replace(replace(replace(replace(replace(replace(json_format(x), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\'))), v -> lower(useridentity.arn) = lower(v))
   OR any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.prefix[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), replace(replace(replace(replace(replace(replace(replace(replace(replace(json_format(x), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\'))), v2 -> starts_with(lower(useridentity.arn), lower(v2)))
ORDER BY eventtime DESC;

-- Negated field reference (5a000020-0000-4000-8000-000000000020)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(eventsource) = 'iam.amazonaws.com'
  AND NOT COALESCE(any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.userName[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), replace(replace(replace(replace(replace(replace(replace(replace(replace(json_format(x), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\'))), v -> lower(useridentity.arn) = lower(v)), FALSE)
ORDER BY eventtime DESC;

