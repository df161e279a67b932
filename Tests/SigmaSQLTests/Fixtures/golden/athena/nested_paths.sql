-- Nested paths through structs and JSON columns (5a00000a-0000-4000-8000-00000000000a)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE (
      lower(useridentity.sessioncontext.attributes.mfaauthenticated) = 'false'
      AND lower(sessioncredentialfromconsole) = 'true'
  )
   OR (
      any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.bucketName[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v -> lower(v) = 'logs')
      AND any_match(transform(CAST(json_parse(json_query(requestparameters, 'lax $.VersioningConfiguration.Status[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v2 -> lower(v2) = 'suspended')
  )
   OR lower(useridentity.sessioncontext.sessionissuer.type) = 'role'
ORDER BY eventtime DESC;

