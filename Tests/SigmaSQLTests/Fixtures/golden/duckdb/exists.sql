-- Exists (5a00001b-0000-4000-8000-00000000001b)
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
WHERE EXISTS (SELECT 1 FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.filter')
   OR EXISTS (SELECT 1 FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.list')
ORDER BY eventTime DESC;

-- Exists on a key present with a JSON null (5a00001c-0000-4000-8000-00000000001c)
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
  AND EXISTS (SELECT 1 FROM json_tree(event, '$.errorCode') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.errorCode')
ORDER BY eventTime DESC;

-- Null against an empty array (5a00001d-0000-4000-8000-00000000001d)
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
WHERE lower(event ->> '$.eventName') = 'describeinstances'
  AND NOT EXISTS (SELECT 1 FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.list' AND t.type <> 'NULL')
ORDER BY eventTime DESC;

