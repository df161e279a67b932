-- Nested paths through structs and JSON columns (5a00000a-0000-4000-8000-00000000000a)
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
      lower(event ->> '$.userIdentity.sessionContext.attributes.mfaAuthenticated') = 'false'
      AND lower(event ->> '$.sessionCredentialFromConsole') = 'true'
  )
   OR (
      len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.bucketName' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v: lower(v) = 'logs')) > 0
      AND len(list_filter((SELECT list(CASE WHEN t.type = 'OBJECT' THEN CAST(t.value AS VARCHAR) ELSE t.value ->> '$' END) FROM json_tree(event, '$.requestParameters') AS t WHERE regexp_replace(t.fullkey, '\[[0-9]+\]', '', 'g') = '$.requestParameters.VersioningConfiguration.Status' AND t.type NOT IN ('ARRAY', 'NULL')), lambda v2: lower(v2) = 'suspended')) > 0
  )
   OR lower(event ->> '$.userIdentity.sessionContext.sessionIssuer.type') = 'role'
ORDER BY eventTime DESC;

