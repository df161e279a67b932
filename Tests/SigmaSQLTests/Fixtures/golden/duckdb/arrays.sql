-- Paths through arrays of objects and arrays at the end (5a00000e-0000-4000-8000-00000000000e)
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
WHERE len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.containerDefinitions.command' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: lower(v) LIKE '%$aws\_container\_credentials\_relative\_uri%' ESCAPE '\')) > 0
   OR len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.containerDefinitions.command' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v2: lower(v2) = 'echo')) > 0
   OR len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(CAST(t.value AS VARCHAR), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\') ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.ipPermissions.items.ipRanges.items.cidrIp' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v3: lower(v3) LIKE '%/0' ESCAPE '\')) > 0
ORDER BY eventTime DESC;

-- All is evaluated value by value (5a00000f-0000-4000-8000-00000000000f)
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
WHERE len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.tags' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: lower(v) LIKE '%alpha%' ESCAPE '\')) > 0
  AND len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(CAST(t.value AS VARCHAR), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\') ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.tags' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v2: lower(v2) LIKE '%beta%' ESCAPE '\')) > 0
ORDER BY eventTime DESC;

-- Negation comes after the any-aggregation (5a000010-0000-4000-8000-000000000010)
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
WHERE lower(event ->> '$.eventName') = 'tagresource'
  AND NOT COALESCE(len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.tags' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: lower(v) = 'xalpha')) > 0, FALSE)
ORDER BY eventTime DESC;

-- Arrays nested in arrays (5a000011-0000-4000-8000-000000000011)
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
WHERE len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.nested' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: regexp_matches(v, '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$') AND TRY_CAST(v AS DOUBLE) = 3)) > 0
ORDER BY eventTime DESC;

-- A CloudTrail scalar field holding an array (5a000012-0000-4000-8000-000000000012)
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
WHERE lower(event ->> '$.userAgent') = 'trufflehog'
ORDER BY eventTime DESC;

-- Array of structs (5a000013-0000-4000-8000-000000000013)
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
WHERE len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.resources') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.resources.ARN' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: lower(v) LIKE '%:::logs' ESCAPE '\')) > 0
ORDER BY eventTime DESC;

