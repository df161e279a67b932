-- Condition precedence and selectors (5a000023-0000-4000-8000-000000000023)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(eventname) = 'stoplogging' AND NOT COALESCE(lower(eventtime) LIKE '2024-01%' ESCAPE '\', FALSE)
   OR lower(eventsource) = 'ec2.amazonaws.com' AND NOT COALESCE(lower(errorcode) = 'client.unauthorizedoperation', FALSE)
ORDER BY eventtime DESC;

-- All of a pattern (5a000024-0000-4000-8000-000000000024)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(eventsource) = 'sts.amazonaws.com'
  AND lower(useragent) LIKE '%path%' ESCAPE '\'
ORDER BY eventtime DESC;

