-- Field references (5a00001f-0000-4000-8000-00000000001f)
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
WHERE lower(userIdentity.arn) = lower(element_at(requestParameters, 'userName'))
   OR starts_with(lower(userIdentity.arn), lower(element_at(requestParameters, 'prefix')))
ORDER BY eventTime DESC;

-- Negated field reference (5a000020-0000-4000-8000-000000000020)
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
WHERE lower(eventSource) = 'iam.amazonaws.com'
  AND NOT COALESCE(lower(userIdentity.arn) = lower(element_at(requestParameters, 'userName')), FALSE)
ORDER BY eventTime DESC;

