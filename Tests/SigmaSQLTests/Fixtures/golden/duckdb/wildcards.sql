-- Wildcards, contains, startswith, endswith (5a000002-0000-4000-8000-000000000002)
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
WHERE lower(event ->> '$.userAgent') LIKE 'console.%.amazonaws.com' ESCAPE '\'
   OR lower(event ->> '$.userAgent') LIKE 'aws-cli/_.15' ESCAPE '\'
   OR lower(event ->> '$.userAgent') LIKE 'aws-cli/_.1' ESCAPE '\'
   OR lower(event ->> '$.userAgent') LIKE 's3 browser%' ESCAPE '\'
   OR (
      lower(event ->> '$.eventSource') LIKE '%.amazonaws.com' ESCAPE '\'
      AND lower(event ->> '$.eventName') LIKE '%versioning%' ESCAPE '\'
  )
ORDER BY eventTime DESC;

