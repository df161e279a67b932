SELECT
    event ->> '$.eventTime' AS eventTime,
    event ->> '$.eventID' AS eventID,
    event ->> '$.eventSource' AS eventSource,
    event ->> '$.eventName' AS eventName,
    event ->> '$.userIdentity.arn' AS "userIdentity.arn",
    event ->> '$.sourceIPAddress' AS sourceIPAddress,
    event ->> '$.awsRegion' AS awsRegion,
    event ->> '$.errorCode' AS errorCode
FROM (SELECT unnest(Records) AS event FROM read_json('AWSLogs/**/*.json.gz', columns = {'Records': 'JSON[]'}, maximum_object_size = 268435456)) AS records
WHERE lower(event ->> '$.eventSource') = 'ec2.amazonaws.com'
  AND lower(event ->> '$.eventName') IN (
      'authorizesecuritygroupegress',
      'authorizesecuritygroupingress',
      'revokesecuritygroupegress',
      'revokesecuritygroupingress'
  )
  AND event ->> '$.errorCode' IS NULL
ORDER BY eventTime DESC;
