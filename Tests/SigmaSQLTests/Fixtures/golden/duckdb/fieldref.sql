-- Field references (5a00001f-0000-4000-8000-00000000001f)
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
WHERE len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(CAST(t.value AS VARCHAR), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\') ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.userName' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: lower(event ->> '$.userIdentity.arn') = lower(v))) > 0
   OR len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(CAST(t.value AS VARCHAR), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\') ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.prefix' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v2: starts_with(lower(event ->> '$.userIdentity.arn'), lower(v2)))) > 0
ORDER BY eventTime DESC;

-- Negated field reference (5a000020-0000-4000-8000-000000000020)
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
WHERE lower(event ->> '$.eventSource') = 'iam.amazonaws.com'
  AND NOT COALESCE(len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(CAST(t.value AS VARCHAR), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\') ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.userName' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: lower(event ->> '$.userIdentity.arn') = lower(v))) > 0, FALSE)
ORDER BY eventTime DESC;

