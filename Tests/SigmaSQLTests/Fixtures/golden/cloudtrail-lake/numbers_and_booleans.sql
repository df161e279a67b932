-- Numbers (5a000018-0000-4000-8000-000000000018)
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
      regexp_like(element_at(requestParameters, 'count'), '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$')
      AND TRY_CAST(element_at(requestParameters, 'count') AS double) = 22
  )
   OR (
      regexp_like(element_at(requestParameters, 'id'), '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$')
      AND TRY_CAST(element_at(requestParameters, 'id') AS double) = 4624
  )
   OR (
      regexp_like(element_at(requestParameters, 'name'), '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$')
      AND TRY_CAST(element_at(requestParameters, 'name') AS double) = 4624
  )
ORDER BY eventTime DESC;

-- Numeric comparisons (5a000019-0000-4000-8000-000000000019)
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
      regexp_like(element_at(requestParameters, 'count'), '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$')
      AND TRY_CAST(element_at(requestParameters, 'count') AS double) > 5
  )
   OR (
      regexp_like(element_at(requestParameters, 'ratio'), '^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$')
      AND TRY_CAST(element_at(requestParameters, 'ratio') AS double) <= 1.5
  )
ORDER BY eventTime DESC;

-- Booleans (5a00001a-0000-4000-8000-00000000001a)
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
WHERE lower(element_at(requestParameters, 'enable')) = 'false'
   OR lower(element_at(requestParameters, 'flag')) = 'true'
   OR lower(CAST(readOnly AS varchar)) = 'false'
ORDER BY eventTime DESC;

