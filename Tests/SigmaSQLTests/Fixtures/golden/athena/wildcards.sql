-- Wildcards, contains, startswith, endswith (5a000002-0000-4000-8000-000000000002)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(useragent) LIKE 'console.%.amazonaws.com' ESCAPE '\'
   OR lower(useragent) LIKE 'aws-cli/_.15' ESCAPE '\'
   OR lower(useragent) LIKE 'aws-cli/_.1' ESCAPE '\'
   OR lower(useragent) LIKE 's3 browser%' ESCAPE '\'
   OR lower(eventsource) LIKE '%.amazonaws.com' ESCAPE '\' AND lower(eventname) LIKE '%versioning%' ESCAPE '\'
ORDER BY eventtime DESC;

