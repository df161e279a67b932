-- Time parts (5a000021-0000-4000-8000-000000000021)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE hour(try(from_iso8601_timestamp(eventtime)) AT TIME ZONE 'UTC') >= 22
   OR week(try(from_iso8601_timestamp(eventtime)) AT TIME ZONE 'UTC') = 1
ORDER BY eventtime DESC;

