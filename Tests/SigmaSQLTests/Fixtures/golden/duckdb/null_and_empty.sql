-- Null matches missing and JSON null (5a000005-0000-4000-8000-000000000005)
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
  AND event ->> '$.errorCode' IS NULL
ORDER BY eventTime DESC;

-- Empty string matches only the empty string (5a000006-0000-4000-8000-000000000006)
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
WHERE lower(event ->> '$.errorCode') = ''
ORDER BY eventTime DESC;

-- Not null is a separate selection plus not (5a000007-0000-4000-8000-000000000007)
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
WHERE lower(event ->> '$.eventSource') = 'ec2.amazonaws.com' AND event ->> '$.errorCode' IS NOT NULL
   OR (
      (event ->> '$.errorCode' IS NULL OR lower(event ->> '$.errorCode') = '')
      AND lower(event ->> '$.eventSource') = 'ec2.amazonaws.com'
  )
ORDER BY eventTime DESC;

