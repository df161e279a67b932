-- Cased comparisons (5a000004-0000-4000-8000-000000000004)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE eventname = 'AuthorizeSecurityGroupEgress' OR eventsource LIKE '%EC2%' ESCAPE '\'
ORDER BY eventtime DESC;

