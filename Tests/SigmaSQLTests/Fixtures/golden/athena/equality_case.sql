-- Equality is whole-value and case-insensitive (5a000001-0000-4000-8000-000000000001)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(eventsource) = 'ec2.amazonaws.com'
  AND lower(eventname) IN ('authorizesecuritygroupegress', 'authorizesecuritygroupingress')
  AND NOT COALESCE(lower(eventname) = 'authorize', FALSE)
ORDER BY eventtime DESC;

