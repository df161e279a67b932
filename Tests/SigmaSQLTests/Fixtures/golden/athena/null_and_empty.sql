-- Null matches missing and JSON null (5a000005-0000-4000-8000-000000000005)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(eventsource) = 'ec2.amazonaws.com'
  AND errorcode IS NULL
ORDER BY eventtime DESC;

-- Empty string matches only the empty string (5a000006-0000-4000-8000-000000000006)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(errorcode) = ''
ORDER BY eventtime DESC;

-- Not null is a separate selection plus not (5a000007-0000-4000-8000-000000000007)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(eventsource) = 'ec2.amazonaws.com' AND errorcode IS NOT NULL
   OR (errorcode IS NULL OR lower(errorcode) = '') AND lower(eventsource) = 'ec2.amazonaws.com'
ORDER BY eventtime DESC;

