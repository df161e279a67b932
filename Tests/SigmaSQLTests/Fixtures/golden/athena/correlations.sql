-- Many failed logins for one user (5a00002d-0000-4000-8000-00000000002d)
-- warning: returns every event at which the condition holds (COR-09, COR-17); Trailwatch raises one alert per group and then starts that group's window afresh (D11), so its alerts are the first row of each group and the rows where a fresh window fills again
WITH matched AS (
    SELECT
        eventtime,
        eventid,
        eventsource,
        eventname,
        useridentity.arn,
        sourceipaddress,
        awsregion,
        errorcode,
        lower(useridentity.username) AS group_1,
        to_unixtime(try(from_iso8601_timestamp(eventtime))) AS event_seconds
    FROM cloudtrail_logs
    WHERE lower(eventname) = 'consolelogin'
      AND lower(errormessage) = 'failed authentication'
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
ORDER BY eventtime DESC;

-- Failed logins from many addresses (5a00002e-0000-4000-8000-00000000002e)
-- warning: returns every event at which the condition holds (COR-09, COR-17); Trailwatch raises one alert per group and then starts that group's window afresh (D11), so its alerts are the first row of each group and the rows where a fresh window fills again
WITH matched AS (
    SELECT
        eventtime,
        eventid,
        eventsource,
        eventname,
        useridentity.arn,
        sourceipaddress,
        awsregion,
        errorcode,
        lower(useridentity.username) AS group_1,
        to_unixtime(try(from_iso8601_timestamp(eventtime))) AS event_seconds,
        lower(sourceipaddress) AS correlation_field
    FROM cloudtrail_logs
    WHERE lower(eventname) = 'consolelogin'
      AND lower(errormessage) = 'failed authentication'
), windowed AS (
    SELECT
        matched.*,
        cardinality(filter(array_distinct(array_agg(correlation_field) OVER (PARTITION BY group_1 ORDER BY event_seconds RANGE BETWEEN 600 PRECEDING AND CURRENT ROW)), v -> v IS NOT NULL)) AS correlation_value
    FROM matched
    WHERE event_seconds IS NOT NULL
      AND group_1 IS NOT NULL
)
SELECT *
FROM windowed
WHERE correlation_value >= 3
ORDER BY eventtime DESC;

-- Failed then successful login (5a00002f-0000-4000-8000-00000000002f)
-- warning: returns every event at which the condition holds (COR-09, COR-17); Trailwatch raises one alert per group and then starts that group's window afresh (D11), so its alerts are the first row of each group and the rows where a fresh window fills again
WITH matched AS (
    SELECT
        eventtime,
        eventid,
        eventsource,
        eventname,
        useridentity.arn,
        sourceipaddress,
        awsregion,
        errorcode,
        lower(useridentity.username) AS group_1,
        to_unixtime(try(from_iso8601_timestamp(eventtime))) AS event_seconds,
        CASE WHEN lower(eventname) = 'consolelogin' AND lower(errormessage) = 'failed authentication' THEN 1 ELSE 0 END AS rule_1,
        CASE WHEN lower(eventname) = 'consolelogin' AND any_match(transform(CAST(json_parse(json_query(responseelements, 'lax $.ConsoleLogin[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v -> lower(v) = 'success') THEN 1 ELSE 0 END AS rule_2
    FROM cloudtrail_logs
    WHERE lower(eventname) = 'consolelogin' AND lower(errormessage) = 'failed authentication'
       OR (
          lower(eventname) = 'consolelogin'
          AND any_match(transform(CAST(json_parse(json_query(responseelements, 'lax $.ConsoleLogin[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v -> lower(v) = 'success')
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
ORDER BY eventtime DESC;

-- Ordered failed then successful login (5a000030-0000-4000-8000-000000000030)
-- rules/correlations.yml:66:1: error: rule 'Ordered failed then successful login' (5a000030-0000-4000-8000-000000000030): a temporal_ordered correlation cannot be converted to athena: ordered sequences need row pattern matching, not a window

