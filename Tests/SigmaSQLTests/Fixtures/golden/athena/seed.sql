-- Ingress/Egress Security Group Modification (6fb77778-040f-4015-9440-572aa9b6b580)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(eventsource) = 'ec2.amazonaws.com'
  AND lower(eventname) IN (
      'authorizesecuritygroupegress',
      'authorizesecuritygroupingress',
      'revokesecuritygroupegress',
      'revokesecuritygroupingress'
  )
  AND errorcode IS NULL
ORDER BY eventtime DESC;

