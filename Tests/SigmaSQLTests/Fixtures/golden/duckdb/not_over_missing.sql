-- Not is true over a missing field (5a000008-0000-4000-8000-000000000008)
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
  AND NOT COALESCE(lower(event ->> '$.errorCode') = 'client.unauthorizedoperation', FALSE)
ORDER BY eventTime DESC;

-- Neq matches a missing field (5a000009-0000-4000-8000-000000000009)
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
  AND NOT COALESCE(lower(event ->> '$.errorCode') IN ('client.unauthorizedoperation', ''), FALSE)
ORDER BY eventTime DESC;

