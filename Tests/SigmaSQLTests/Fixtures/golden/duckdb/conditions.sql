-- Condition precedence and selectors (5a000023-0000-4000-8000-000000000023)
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
WHERE (
      lower(event ->> '$.eventName') = 'stoplogging'
      AND NOT COALESCE(lower(event ->> '$.eventTime') LIKE '2024-01%' ESCAPE '\', FALSE)
  )
   OR (
      lower(event ->> '$.eventSource') = 'ec2.amazonaws.com'
      AND NOT COALESCE(lower(event ->> '$.errorCode') = 'client.unauthorizedoperation', FALSE)
  )
ORDER BY eventTime DESC;

-- All of a pattern (5a000024-0000-4000-8000-000000000024)
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
WHERE lower(event ->> '$.eventSource') = 'sts.amazonaws.com'
  AND lower(event ->> '$.userAgent') LIKE '%path%' ESCAPE '\'
ORDER BY eventTime DESC;

