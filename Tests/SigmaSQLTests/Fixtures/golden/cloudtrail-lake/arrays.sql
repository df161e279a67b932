-- Paths through arrays of objects and arrays at the end (5a00000e-0000-4000-8000-00000000000e)
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
WHERE any_match(transform(CAST(json_parse(json_query(element_at(requestParameters, 'containerDefinitions'), 'lax $.command[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v -> lower(v) LIKE '%$aws\_container\_credentials\_relative\_uri%' ESCAPE '\')
   OR any_match(transform(CAST(json_parse(json_query(element_at(requestParameters, 'containerDefinitions'), 'lax $.command[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v2 -> lower(v2) = 'echo')
   OR any_match(transform(CAST(json_parse(json_query(element_at(requestParameters, 'ipPermissions'), 'lax $.items.ipRanges.items.cidrIp[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), replace(replace(replace(replace(replace(replace(replace(replace(replace(json_format(x), '\\', chr(1)), '\"', '"'), '\/', '/'), '\n', chr(10)), '\t', chr(9)), '\r', chr(13)), '\b', chr(8)), '\f', chr(12)), chr(1), '\'))), v3 -> lower(v3) LIKE '%/0' ESCAPE '\')
ORDER BY eventTime DESC;

-- All is evaluated value by value (5a00000f-0000-4000-8000-00000000000f)
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
WHERE lower(element_at(requestParameters, 'tags')) LIKE '%alpha%' ESCAPE '\'
  AND lower(element_at(requestParameters, 'tags')) LIKE '%beta%' ESCAPE '\'
ORDER BY eventTime DESC;

-- Negation comes after the any-aggregation (5a000010-0000-4000-8000-000000000010)
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
WHERE lower(eventName) = 'tagresource'
  AND NOT COALESCE(lower(element_at(requestParameters, 'tags')) = 'xalpha', FALSE)
ORDER BY eventTime DESC;

-- Arrays nested in arrays (5a000011-0000-4000-8000-000000000011)
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
WHERE regexp_like(element_at(requestParameters, 'nested'), '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$')
  AND TRY_CAST(element_at(requestParameters, 'nested') AS double) = 3
ORDER BY eventTime DESC;

-- A CloudTrail scalar field holding an array (5a000012-0000-4000-8000-000000000012)
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
WHERE lower(userAgent) = 'trufflehog'
ORDER BY eventTime DESC;

-- Array of structs (5a000013-0000-4000-8000-000000000013)
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
WHERE any_match(resources, v -> lower(v.ARN) LIKE '%:::logs' ESCAPE '\')
ORDER BY eventTime DESC;

