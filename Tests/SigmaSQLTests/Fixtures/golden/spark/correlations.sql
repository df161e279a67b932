-- Many failed logins for one user (5a00002d-0000-4000-8000-00000000002d)
-- warning: returns every event at which the condition holds (COR-09, COR-17); Trailwatch raises one alert per group and then starts that group's window afresh (D11), so its alerts are the first row of each group and the rows where a fresh window fills again
WITH matched AS (
    SELECT
        get_json_object(event, '$.eventTime') AS eventTime,
        get_json_object(event, '$.eventID') AS eventID,
        get_json_object(event, '$.eventSource') AS eventSource,
        get_json_object(event, '$.eventName') AS eventName,
        get_json_object(event, '$.userIdentity.arn') AS `userIdentity.arn`,
        get_json_object(event, '$.sourceIPAddress') AS sourceIPAddress,
        get_json_object(event, '$.awsRegion') AS awsRegion,
        get_json_object(event, '$.errorCode') AS errorCode,
        lower(get_json_object(event, '$.userIdentity.userName')) AS group_1,
        unix_micros(try_to_timestamp(get_json_object(event, '$.eventTime'))) / 1000000.0 AS event_seconds
    FROM cloudtrail_events
    WHERE lower(get_json_object(event, '$.eventName')) = 'consolelogin'
      AND lower(get_json_object(event, '$.errorMessage')) = 'failed authentication'
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
        get_json_object(event, '$.eventTime') AS eventTime,
        get_json_object(event, '$.eventID') AS eventID,
        get_json_object(event, '$.eventSource') AS eventSource,
        get_json_object(event, '$.eventName') AS eventName,
        get_json_object(event, '$.userIdentity.arn') AS `userIdentity.arn`,
        get_json_object(event, '$.sourceIPAddress') AS sourceIPAddress,
        get_json_object(event, '$.awsRegion') AS awsRegion,
        get_json_object(event, '$.errorCode') AS errorCode,
        lower(get_json_object(event, '$.userIdentity.userName')) AS group_1,
        unix_micros(try_to_timestamp(get_json_object(event, '$.eventTime'))) / 1000000.0 AS event_seconds,
        lower(get_json_object(event, '$.sourceIPAddress')) AS correlation_field
    FROM cloudtrail_events
    WHERE lower(get_json_object(event, '$.eventName')) = 'consolelogin'
      AND lower(get_json_object(event, '$.errorMessage')) = 'failed authentication'
), windowed AS (
    SELECT
        matched.*,
        size(collect_set(correlation_field) OVER (PARTITION BY group_1 ORDER BY event_seconds RANGE BETWEEN 600 PRECEDING AND CURRENT ROW)) AS correlation_value
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
        get_json_object(event, '$.eventTime') AS eventTime,
        get_json_object(event, '$.eventID') AS eventID,
        get_json_object(event, '$.eventSource') AS eventSource,
        get_json_object(event, '$.eventName') AS eventName,
        get_json_object(event, '$.userIdentity.arn') AS `userIdentity.arn`,
        get_json_object(event, '$.sourceIPAddress') AS sourceIPAddress,
        get_json_object(event, '$.awsRegion') AS awsRegion,
        get_json_object(event, '$.errorCode') AS errorCode,
        lower(get_json_object(event, '$.userIdentity.userName')) AS group_1,
        unix_micros(try_to_timestamp(get_json_object(event, '$.eventTime'))) / 1000000.0 AS event_seconds,
        CASE WHEN lower(get_json_object(event, '$.eventName')) = 'consolelogin' AND lower(get_json_object(event, '$.errorMessage')) = 'failed authentication' THEN 1 ELSE 0 END AS rule_1,
        CASE WHEN lower(get_json_object(event, '$.eventName')) = 'consolelogin' AND exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.responseElements'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.responseElements'))), n -> COALESCE(try_variant_get(variant_get(n, '$.ConsoleLogin'), '$', 'array<variant>'), array(variant_get(n, '$.ConsoleLogin'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v -> lower(v) = 'success') THEN 1 ELSE 0 END AS rule_2
    FROM cloudtrail_events
    WHERE (
          lower(get_json_object(event, '$.eventName')) = 'consolelogin'
          AND lower(get_json_object(event, '$.errorMessage')) = 'failed authentication'
      )
       OR (
          lower(get_json_object(event, '$.eventName')) = 'consolelogin'
          AND exists(transform(flatten(transform(COALESCE(try_variant_get(variant_get(parse_json(event), '$.responseElements'), '$', 'array<variant>'), array(variant_get(parse_json(event), '$.responseElements'))), n -> COALESCE(try_variant_get(variant_get(n, '$.ConsoleLogin'), '$', 'array<variant>'), array(variant_get(n, '$.ConsoleLogin'))))), n -> CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN to_json(n) ELSE variant_get(n, '$', 'string') END), v -> lower(v) = 'success')
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
-- rules/correlations.yml:66:1: error: rule 'Ordered failed then successful login' (5a000030-0000-4000-8000-000000000030): a temporal_ordered correlation cannot be converted to spark: ordered sequences need row pattern matching, not a window

