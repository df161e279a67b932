-- Security group changes (5a000025-0000-4000-8000-000000000025)
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
WHERE lower(event ->> '$.eventSource') = 'ec2.amazonaws.com'
  AND (
      lower(event ->> '$.eventName') LIKE 'authorize%' ESCAPE '\'
      OR lower(event ->> '$.eventName') LIKE 'revoke%' ESCAPE '\'
  )
  AND event ->> '$.errorCode' IS NULL
  AND NOT COALESCE(lower(event ->> '$.userAgent') LIKE 'console.%' ESCAPE '\', FALSE)
ORDER BY eventTime DESC;

