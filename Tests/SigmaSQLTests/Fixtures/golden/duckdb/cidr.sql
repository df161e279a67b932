-- IPv4 networks (5a000016-0000-4000-8000-000000000016)
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
WHERE regexp_matches(event ->> '$.sourceIPAddress', '^192\.168\.[0-1]\.(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$')
   OR regexp_matches(event ->> '$.sourceIPAddress', '^10\.(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\.(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\.(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$')
   OR regexp_matches(event ->> '$.sourceIPAddress', '^203\.0\.113\.4$')
ORDER BY eventTime DESC;

-- IPv6 networks (5a000017-0000-4000-8000-000000000017)
-- rules/cidr.yml:24:9: error: rule 'IPv6 networks' (5a000017-0000-4000-8000-000000000017): |cidr with the IPv6 network 2001:db8:0:0:0:0:0:0/32 cannot be converted to duckdb: DuckDB's IP address type comes with the inet extension, which a query cannot count on, and IPv6 text forms are too many for a pattern

