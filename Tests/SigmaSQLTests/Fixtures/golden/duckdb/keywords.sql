-- Keyword search (5a00001e-0000-4000-8000-00000000001e)
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
WHERE len(list_filter((SELECT list(t.value ->> '$') FROM json_tree(event) AS t WHERE t.type NOT IN ('OBJECT', 'ARRAY', 'NULL')), lambda v: lower(v) LIKE '%event::clear%' ESCAPE '\')) > 0
ORDER BY eventTime DESC;

