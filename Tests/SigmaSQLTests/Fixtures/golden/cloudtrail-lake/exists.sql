-- Exists (5a00001b-0000-4000-8000-00000000001b)
-- warning: 'requestParameters.filter': this table layout stores a JSON null like a missing key, so `exists` cannot see a key present with a null value (D7); it is read as missing
-- warning: 'requestParameters.list': this table layout stores a JSON null like a missing key, so `exists` cannot see a key present with a null value (D7); it is read as missing
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
WHERE element_at(requestParameters, 'filter') IS NOT NULL OR element_at(requestParameters, 'list') IS NOT NULL
ORDER BY eventTime DESC;

-- Exists on a key present with a JSON null (5a00001c-0000-4000-8000-00000000001c)
-- warning: 'errorCode': this table layout stores a JSON null like a missing key, so `exists` cannot see a key present with a null value (D7); it is read as missing
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
WHERE lower(eventSource) = 'ec2.amazonaws.com'
  AND errorCode IS NOT NULL
ORDER BY eventTime DESC;

-- Null against an empty array (5a00001d-0000-4000-8000-00000000001d)
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
WHERE lower(eventName) = 'describeinstances'
  AND element_at(requestParameters, 'list') IS NULL
ORDER BY eventTime DESC;

