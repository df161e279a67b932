-- Ingress/Egress Security Group Modification (6fb77778-040f-4015-9440-572aa9b6b580)
SELECT
    format_datetime(eventTime AT TIME ZONE 'UTC', 'yyyy-MM-dd''T''HH:mm:ss''Z''') AS eventTime,
    eventID,
    eventSource,
    eventName,
    userIdentity.arn,
    sourceIPAddress,
    awsRegion,
    errorCode
FROM eds
WHERE lower(eventSource) = 'ec2.amazonaws.com'
  AND lower(eventName) IN (
      'authorizesecuritygroupegress',
      'authorizesecuritygroupingress',
      'revokesecuritygroupegress',
      'revokesecuritygroupingress'
  )
  AND errorCode IS NULL
ORDER BY eventTime DESC;

