-- Ingress/Egress Security Group Modification (6fb77778-040f-4015-9440-572aa9b6b580)
SELECT
    event ->> '$.eventTime' AS eventTime,
    event ->> '$.eventID' AS eventID,
    event ->> '$.eventSource' AS eventSource,
    event ->> '$.eventName' AS eventName,
    event ->> '$.userIdentity.arn' AS "userIdentity.arn",
    event ->> '$.sourceIPAddress' AS sourceIPAddress,
    event ->> '$.awsRegion' AS awsRegion,
    event ->> '$.errorCode' AS errorCode
FROM cloudtrail_events
WHERE lower(event ->> '$.eventSource') = 'ec2.amazonaws.com'
  AND lower(event ->> '$.eventName') IN (
      'authorizesecuritygroupegress',
      'authorizesecuritygroupingress',
      'revokesecuritygroupegress',
      'revokesecuritygroupingress'
  )
  AND event ->> '$.errorCode' IS NULL
ORDER BY eventTime DESC;

