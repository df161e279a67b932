-- Expansions stay OR groups (5a000022-0000-4000-8000-000000000022)
-- warning: non-ASCII letters are compared with the engine's lower() on the event side and Unicode lower-casing on the rule side; both differ from Sigma's case folding for a few letters (ß, ſ, ς)
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
WHERE len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN replace(replace(replace(replace(replace(replace(replace(replace(replace(CAST(t.value AS VARCHAR), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\') ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.commands' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: lower(v) LIKE '% -encodedcommand%' ESCAPE '\' OR lower(v) LIKE '% /encodedcommand%' ESCAPE '\' OR lower(v) LIKE '% –encodedcommand%' ESCAPE '\' OR lower(v) LIKE '% —encodedcommand%' ESCAPE '\' OR lower(v) LIKE '% ―encodedcommand%' ESCAPE '\')) > 0
   OR len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.url' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v2: lower(v2) LIKE '%ahr0cdovl%' ESCAPE '\' OR lower(v2) LIKE '%h0dha6ly%' ESCAPE '\' OR lower(v2) LIKE '%odhrwoi8v%' ESCAPE '\')) > 0
ORDER BY eventTime DESC;

