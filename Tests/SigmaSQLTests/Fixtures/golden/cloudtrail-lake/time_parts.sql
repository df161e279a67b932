-- Time parts (5a000021-0000-4000-8000-000000000021)
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
WHERE hour(try(from_iso8601_timestamp(format_datetime(eventTime AT TIME ZONE 'UTC', 'yyyy-MM-dd''T''HH:mm:ss''Z'''))) AT TIME ZONE 'UTC') >= 22
   OR week(try(from_iso8601_timestamp(format_datetime(eventTime AT TIME ZONE 'UTC', 'yyyy-MM-dd''T''HH:mm:ss''Z'''))) AT TIME ZONE 'UTC') = 1
ORDER BY eventTime DESC;

