-- Select list from fields (5a000028-0000-4000-8000-000000000028)
SELECT
    event ->> '$.eventTime' AS eventTime,
    event ->> '$.eventID' AS eventID,
    event ->> '$.eventSource' AS eventSource,
    event ->> '$.eventName' AS eventName,
    event ->> '$.userIdentity.arn' AS "userIdentity.arn",
    event ->> '$.requestParameters.bucketName' AS "requestParameters.bucketName",
    event ->> '$.resources.ARN' AS "resources.ARN"
FROM cloudtrail_events
WHERE lower(event ->> '$.eventName') = 'putbucketversioning'
ORDER BY eventTime DESC;

-- A field the table has no column for (5a000029-0000-4000-8000-000000000029)
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
WHERE lower(event ->> '$.eventSource') = 'iam.amazonaws.com'
  AND NOT COALESCE(len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.status') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.status' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: lower(v) = 'success')) > 0, FALSE)
ORDER BY eventTime DESC;

