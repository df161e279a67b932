-- Objects compared as their JSON text (5a00000b-0000-4000-8000-00000000000b)
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
WHERE len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: lower(v) LIKE '%suspended%' ESCAPE '\')) > 0
   OR len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(CAST(t.value AS VARCHAR), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\') ELSE t.value ->> '$' END) FROM json_tree(event, '$.responseElements') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.responseElements' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v2: lower(v2) LIKE '%"\_return":true%' ESCAPE '\')) > 0
ORDER BY eventTime DESC;

-- Objects compared as their JSON text with strings unescaped (5a00000c-0000-4000-8000-00000000000c)
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
WHERE len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(CAST(t.value AS VARCHAR), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\') ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: lower(v) LIKE '%"s3:getobject"%' ESCAPE '\')) > 0
  AND len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(CAST(t.value AS VARCHAR), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\') ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v2: lower(v2) LIKE '%"allow"%' ESCAPE '\')) > 0
ORDER BY eventTime DESC;

-- Escaped characters of an object's text (5a00000d-0000-4000-8000-00000000000d)
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
WHERE len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(CAST(t.value AS VARCHAR), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\') ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: lower(v) LIKE '%tab\\there%' ESCAPE '\')) > 0
   OR len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(CAST(t.value AS VARCHAR), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\') ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v2: lower(v2) LIKE '%"quoted\\"%' ESCAPE '\')) > 0
   OR len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(CAST(t.value AS VARCHAR), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\') ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v3: lower(v3) LIKE '%"c:\\windows\\system32"%' ESCAPE '\')) > 0
ORDER BY eventTime DESC;

