-- Security group changes (5a000025-0000-4000-8000-000000000025)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(eventsource) = 'ec2.amazonaws.com'
  AND (lower(eventname) LIKE 'authorize%' ESCAPE '\' OR lower(eventname) LIKE 'revoke%' ESCAPE '\')
  AND errorcode IS NULL
  AND NOT COALESCE(lower(useragent) LIKE 'console.%' ESCAPE '\', FALSE)
ORDER BY eventtime DESC;

