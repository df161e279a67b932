-- IPv4 networks (5a000016-0000-4000-8000-000000000016)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE regexp_like(sourceipaddress, '^192\.168\.[0-1]\.(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$')
   OR regexp_like(sourceipaddress, '^10\.(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\.(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\.(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$')
   OR regexp_like(sourceipaddress, '^203\.0\.113\.4$')
ORDER BY eventtime DESC;

-- IPv6 networks (5a000017-0000-4000-8000-000000000017)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE strpos(sourceipaddress, ':') > 0
  AND contains('2001:db8:0:0:0:0:0:0/32', TRY_CAST(sourceipaddress AS ipaddress))
ORDER BY eventtime DESC;

