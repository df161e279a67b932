-- Cased comparisons (5a000004-0000-4000-8000-000000000004)
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
WHERE event ->> '$.eventName' = 'AuthorizeSecurityGroupEgress' OR event ->> '$.eventSource' LIKE '%EC2%' ESCAPE '\'
ORDER BY eventTime DESC;

