-- Numbers (5a000018-0000-4000-8000-000000000018)
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
WHERE len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.count' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: regexp_matches(v, '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND TRY_CAST(v AS DOUBLE) = 22)) > 0
   OR len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.id' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v2: regexp_matches(v2, '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND TRY_CAST(v2 AS DOUBLE) = 4624)) > 0
   OR len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.name' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v3: regexp_matches(v3, '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND TRY_CAST(v3 AS DOUBLE) = 4624)) > 0
ORDER BY eventTime DESC;

-- Numeric comparisons (5a000019-0000-4000-8000-000000000019)
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
WHERE len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.count' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: regexp_matches(v, '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND TRY_CAST(v AS DOUBLE) > 5)) > 0
   OR len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.ratio' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v2: regexp_matches(v2, '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND TRY_CAST(v2 AS DOUBLE) <= 1.5)) > 0
ORDER BY eventTime DESC;

-- Booleans (5a00001a-0000-4000-8000-00000000001a)
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
WHERE len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.enable' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: lower(v) = 'false')) > 0
   OR len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.flag' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v2: lower(v2) = 'true')) > 0
   OR lower(event ->> '$.readOnly') = 'false'
ORDER BY eventTime DESC;

