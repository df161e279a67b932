-- Values with quote, percent, underscore, backslash, star and question mark (5a000003-0000-4000-8000-000000000003)
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
WHERE lower(event ->> '$.userAgent') LIKE '%it''s 100\% a\_b \\ path *star ?q%' ESCAPE '\'
   OR lower(event ->> '$.userAgent') = 'it''s 100% a_b \ path *star ?q'
   OR lower(event ->> '$.userAgent') LIKE '%*star _q' ESCAPE '\'
ORDER BY eventTime DESC;

