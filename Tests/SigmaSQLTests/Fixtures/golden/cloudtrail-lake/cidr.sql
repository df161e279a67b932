-- IPv4 networks (5a000016-0000-4000-8000-000000000016)
SELECT
    format_datetime(eventTime AT TIME ZONE 'UTC', 'yyyy-MM-dd''T''HH:mm:ss''Z''') AS eventTime,
    eventID,
    eventSource,
    eventName,
    userIdentity.arn,
    sourceIPAddress,
    awsRegion,
    errorCode
FROM eds
WHERE regexp_like(sourceIPAddress, '^192\.168\.[0-1]\.(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$')
   OR regexp_like(sourceIPAddress, '^10\.(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\.(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\.(?:[0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$')
   OR regexp_like(sourceIPAddress, '^203\.0\.113\.4$')
ORDER BY eventTime DESC;

-- IPv6 networks (5a000017-0000-4000-8000-000000000017)
SELECT
    format_datetime(eventTime AT TIME ZONE 'UTC', 'yyyy-MM-dd''T''HH:mm:ss''Z''') AS eventTime,
    eventID,
    eventSource,
    eventName,
    userIdentity.arn,
    sourceIPAddress,
    awsRegion,
    errorCode
FROM eds
WHERE strpos(sourceIPAddress, ':') > 0
  AND contains('2001:db8:0:0:0:0:0:0/32', TRY_CAST(sourceIPAddress AS ipaddress))
ORDER BY eventTime DESC;

