-- Not is true over a missing field (5a000008-0000-4000-8000-000000000008)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(eventsource) = 'ec2.amazonaws.com'
  AND NOT COALESCE(lower(errorcode) = 'client.unauthorizedoperation', FALSE)
ORDER BY eventtime DESC;

-- Neq matches a missing field (5a000009-0000-4000-8000-000000000009)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(eventsource) = 'ec2.amazonaws.com'
  AND NOT COALESCE(lower(errorcode) IN ('client.unauthorizedoperation', ''), FALSE)
ORDER BY eventtime DESC;

