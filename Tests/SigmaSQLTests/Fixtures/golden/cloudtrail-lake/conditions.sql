-- Condition precedence and selectors (5a000023-0000-4000-8000-000000000023)
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
WHERE (
      lower(eventName) = 'stoplogging'
      AND NOT COALESCE(lower(format_datetime(eventTime AT TIME ZONE 'UTC', 'yyyy-MM-dd''T''HH:mm:ss''Z''')) LIKE '2024-01%' ESCAPE '\', FALSE)
  )
   OR lower(eventSource) = 'ec2.amazonaws.com' AND NOT COALESCE(lower(errorCode) = 'client.unauthorizedoperation', FALSE)
ORDER BY eventTime DESC;

-- All of a pattern (5a000024-0000-4000-8000-000000000024)
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
WHERE lower(eventSource) = 'sts.amazonaws.com'
  AND lower(userAgent) LIKE '%path%' ESCAPE '\'
ORDER BY eventTime DESC;

