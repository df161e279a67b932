-- Expansions stay OR groups (5a000022-0000-4000-8000-000000000022)
-- warning: non-ASCII letters are compared with the engine's lower() on the event side and Unicode lower-casing on the rule side; both differ from Sigma's case folding for a few letters (ß, ſ, ς)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.commands[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), replace(replace(replace(replace(replace(replace(replace(replace(replace(json_format(x), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\'))), v -> lower(v) LIKE '% -encodedcommand%' ESCAPE '\' OR lower(v) LIKE '% /encodedcommand%' ESCAPE '\' OR lower(v) LIKE '% –encodedcommand%' ESCAPE '\' OR lower(v) LIKE '% —encodedcommand%' ESCAPE '\' OR lower(v) LIKE '% ―encodedcommand%' ESCAPE '\')
   OR any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.url[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v2 -> lower(v2) LIKE '%ahr0cdovl%' ESCAPE '\' OR lower(v2) LIKE '%h0dha6ly%' ESCAPE '\' OR lower(v2) LIKE '%odhrwoi8v%' ESCAPE '\')
ORDER BY eventtime DESC;

