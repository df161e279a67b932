-- Exists (5a00001b-0000-4000-8000-00000000001b)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE COALESCE(json_exists(requestparameters, 'lax $.filter'), FALSE)
   OR COALESCE(json_exists(requestparameters, 'lax $.list'), FALSE)
ORDER BY eventtime DESC;

-- Exists on a key present with a JSON null (5a00001c-0000-4000-8000-00000000001c)
-- warning: 'errorCode': this table layout stores a JSON null like a missing key, so `exists` cannot see a key present with a null value (D7); it is read as missing
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(eventsource) = 'ec2.amazonaws.com'
  AND errorcode IS NOT NULL
ORDER BY eventtime DESC;

-- Null against an empty array (5a00001d-0000-4000-8000-00000000001d)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(eventname) = 'describeinstances'
  AND NOT COALESCE(any_match(CAST(json_parse(json_query(requestparameters, 'lax $.list' WITH ARRAY WRAPPER)) AS array(json)), x -> json_format(x) <> 'null'), FALSE)
ORDER BY eventtime DESC;

