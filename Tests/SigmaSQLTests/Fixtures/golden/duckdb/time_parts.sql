-- Time parts (5a000021-0000-4000-8000-000000000021)
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
WHERE hour(timezone('UTC', TRY_CAST(event ->> '$.eventTime' AS TIMESTAMPTZ))) >= 22
   OR weekofyear(timezone('UTC', TRY_CAST(event ->> '$.eventTime' AS TIMESTAMPTZ))) = 1
ORDER BY eventTime DESC;

