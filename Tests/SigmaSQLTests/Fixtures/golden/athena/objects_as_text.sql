-- Objects compared as their JSON text (5a00000b-0000-4000-8000-00000000000b)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(requestparameters) LIKE '%suspended%' ESCAPE '\'
   OR lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(responseelements, '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\')) LIKE '%"\_return":true%' ESCAPE '\'
ORDER BY eventtime DESC;

-- Objects compared as their JSON text with strings unescaped (5a00000c-0000-4000-8000-00000000000c)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(requestparameters, '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\')) LIKE '%"s3:getobject"%' ESCAPE '\'
  AND lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(requestparameters, '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\')) LIKE '%"allow"%' ESCAPE '\'
ORDER BY eventtime DESC;

-- Escaped characters of an object's text (5a00000d-0000-4000-8000-00000000000d)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(requestparameters, '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\')) LIKE '%tab\\there%' ESCAPE '\'
   OR lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(requestparameters, '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\')) LIKE '%"quoted\\"%' ESCAPE '\'
   OR lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(requestparameters, '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\')) LIKE '%"c:\\windows\\system32"%' ESCAPE '\'
ORDER BY eventtime DESC;

