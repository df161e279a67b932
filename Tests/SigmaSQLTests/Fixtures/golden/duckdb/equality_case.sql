-- Equality is whole-value and case-insensitive (5a000001-0000-4000-8000-000000000001)
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
  AND lower(event ->> '$.eventName') IN ('authorizesecuritygroupegress', 'authorizesecuritygroupingress')
  AND NOT COALESCE(lower(event ->> '$.eventName') = 'authorize', FALSE)
ORDER BY eventTime DESC;

