-- Many failed logins for one user (5a00002d-0000-4000-8000-00000000002d)
-- warning: returns every event at which the condition holds (COR-09, COR-17); Trailwatch raises one alert per group and then starts that group's window afresh (D11), so its alerts are the first row of each group and the rows where a fresh window fills again
WITH matched AS (
    SELECT
        event ->> '$.eventTime' AS eventTime,
        event ->> '$.eventID' AS eventID,
        event ->> '$.eventSource' AS eventSource,
        event ->> '$.eventName' AS eventName,
        event ->> '$.userIdentity.arn' AS "userIdentity.arn",
        event ->> '$.sourceIPAddress' AS sourceIPAddress,
        event ->> '$.awsRegion' AS awsRegion,
        event ->> '$.errorCode' AS errorCode,
        lower(event ->> '$.userIdentity.userName') AS group_1,
        epoch(TRY_CAST(event ->> '$.eventTime' AS TIMESTAMPTZ)) AS event_seconds
    FROM cloudtrail_events
    WHERE lower(event ->> '$.eventName') = 'consolelogin'
      AND lower(event ->> '$.errorMessage') = 'failed authentication'
), windowed AS (
    SELECT
        matched.*,
        count(*) OVER (PARTITION BY group_1 ORDER BY event_seconds RANGE BETWEEN 600 PRECEDING AND CURRENT ROW) AS correlation_value
    FROM matched
    WHERE event_seconds IS NOT NULL
      AND group_1 IS NOT NULL
)
SELECT *
FROM windowed
WHERE correlation_value >= 3
ORDER BY eventTime DESC;

-- Failed logins from many addresses (5a00002e-0000-4000-8000-00000000002e)
-- warning: returns every event at which the condition holds (COR-09, COR-17); Trailwatch raises one alert per group and then starts that group's window afresh (D11), so its alerts are the first row of each group and the rows where a fresh window fills again
WITH matched AS (
    SELECT
        event ->> '$.eventTime' AS eventTime,
        event ->> '$.eventID' AS eventID,
        event ->> '$.eventSource' AS eventSource,
        event ->> '$.eventName' AS eventName,
        event ->> '$.userIdentity.arn' AS "userIdentity.arn",
        event ->> '$.sourceIPAddress' AS sourceIPAddress,
        event ->> '$.awsRegion' AS awsRegion,
        event ->> '$.errorCode' AS errorCode,
        lower(event ->> '$.userIdentity.userName') AS group_1,
        epoch(TRY_CAST(event ->> '$.eventTime' AS TIMESTAMPTZ)) AS event_seconds,
        lower(event ->> '$.sourceIPAddress') AS correlation_field
    FROM cloudtrail_events
    WHERE lower(event ->> '$.eventName') = 'consolelogin'
      AND lower(event ->> '$.errorMessage') = 'failed authentication'
), windowed AS (
    SELECT
        matched.*,
        count(DISTINCT correlation_field) OVER (PARTITION BY group_1 ORDER BY event_seconds RANGE BETWEEN 600 PRECEDING AND CURRENT ROW) AS correlation_value
    FROM matched
    WHERE event_seconds IS NOT NULL
      AND group_1 IS NOT NULL
)
SELECT *
FROM windowed
WHERE correlation_value >= 3
ORDER BY eventTime DESC;

-- Failed then successful login (5a00002f-0000-4000-8000-00000000002f)
-- warning: returns every event at which the condition holds (COR-09, COR-17); Trailwatch raises one alert per group and then starts that group's window afresh (D11), so its alerts are the first row of each group and the rows where a fresh window fills again
WITH matched AS (
    SELECT
        event ->> '$.eventTime' AS eventTime,
        event ->> '$.eventID' AS eventID,
        event ->> '$.eventSource' AS eventSource,
        event ->> '$.eventName' AS eventName,
        event ->> '$.userIdentity.arn' AS "userIdentity.arn",
        event ->> '$.sourceIPAddress' AS sourceIPAddress,
        event ->> '$.awsRegion' AS awsRegion,
        event ->> '$.errorCode' AS errorCode,
        lower(event ->> '$.userIdentity.userName') AS group_1,
        epoch(TRY_CAST(event ->> '$.eventTime' AS TIMESTAMPTZ)) AS event_seconds,
        CASE WHEN lower(event ->> '$.eventName') = 'consolelogin' AND lower(event ->> '$.errorMessage') = 'failed authentication' THEN 1 ELSE 0 END AS rule_1,
        CASE WHEN lower(event ->> '$.eventName') = 'consolelogin' AND len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.responseElements') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.responseElements.ConsoleLogin' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: lower(v) = 'success')) > 0 THEN 1 ELSE 0 END AS rule_2
    FROM cloudtrail_events
    WHERE lower(event ->> '$.eventName') = 'consolelogin' AND lower(event ->> '$.errorMessage') = 'failed authentication'
       OR (
          lower(event ->> '$.eventName') = 'consolelogin'
          AND len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.responseElements') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.responseElements.ConsoleLogin' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: lower(v) = 'success')) > 0
      )
), windowed AS (
    SELECT
        matched.*,
        max(rule_1) OVER (PARTITION BY group_1 ORDER BY event_seconds RANGE BETWEEN 300 PRECEDING AND CURRENT ROW) + max(rule_2) OVER (PARTITION BY group_1 ORDER BY event_seconds RANGE BETWEEN 300 PRECEDING AND CURRENT ROW) AS correlation_value
    FROM matched
    WHERE event_seconds IS NOT NULL
      AND group_1 IS NOT NULL
)
SELECT *
FROM windowed
WHERE correlation_value >= 2
ORDER BY eventTime DESC;

-- Ordered failed then successful login (5a000030-0000-4000-8000-000000000030)
-- rules/correlations.yml:66:1: error: rule 'Ordered failed then successful login' (5a000030-0000-4000-8000-000000000030): a temporal_ordered correlation cannot be converted to duckdb: ordered sequences need row pattern matching, not a window

