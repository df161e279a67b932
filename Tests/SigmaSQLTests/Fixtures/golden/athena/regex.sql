-- Regular expressions and their flags (5a000014-0000-4000-8000-000000000014)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE regexp_like(useridentity.arn, '.+:assumed-role/aws:.+')
   OR regexp_like(errormessage, '(?i)line2 abc')
   OR regexp_like(errormessage, '(?m)^Line2')
   OR regexp_like(errormessage, '(?s)Line1.Line2')
   OR regexp_like(errormessage, 'line2')
   OR regexp_like(errormessage, '^Line2')
ORDER BY eventtime DESC;

-- Case-sensitive regex (5a000015-0000-4000-8000-000000000015)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE regexp_like(errormessage, 'line2')
ORDER BY eventtime DESC;

