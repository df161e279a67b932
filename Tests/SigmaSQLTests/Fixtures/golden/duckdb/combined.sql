-- 5 rules (combined)
SELECT *
FROM (
    SELECT
        event ->> '$.eventTime' AS eventTime,
        event ->> '$.eventID' AS eventID,
        event ->> '$.eventSource' AS eventSource,
        event ->> '$.eventName' AS eventName,
        event ->> '$.userIdentity.arn' AS "userIdentity.arn",
        event ->> '$.sourceIPAddress' AS sourceIPAddress,
        event ->> '$.awsRegion' AS awsRegion,
        event ->> '$.errorCode' AS errorCode,
        list_filter([CASE WHEN lower(event ->> '$.eventSource') = 'ec2.amazonaws.com' AND lower(event ->> '$.eventName') IN ('authorizesecuritygroupegress', 'authorizesecuritygroupingress') AND NOT COALESCE(lower(event ->> '$.eventName') = 'authorize', FALSE) THEN '5a000001-0000-4000-8000-000000000001' END, CASE WHEN lower(event ->> '$.eventSource') = 'ec2.amazonaws.com' AND event ->> '$.errorCode' IS NULL THEN '5a000005-0000-4000-8000-000000000005' END, CASE WHEN lower(event ->> '$.errorCode') = '' THEN '5a000006-0000-4000-8000-000000000006' END, CASE WHEN (lower(event ->> '$.eventSource') = 'ec2.amazonaws.com' AND event ->> '$.errorCode' IS NOT NULL) OR ((event ->> '$.errorCode' IS NULL OR lower(event ->> '$.errorCode') = '') AND lower(event ->> '$.eventSource') = 'ec2.amazonaws.com') THEN '5a000007-0000-4000-8000-000000000007' END, CASE WHEN lower(event ->> '$.eventSource') = 'ec2.amazonaws.com' AND (lower(event ->> '$.eventName') LIKE 'authorize%' ESCAPE '\' OR lower(event ->> '$.eventName') LIKE 'revoke%' ESCAPE '\') AND event ->> '$.errorCode' IS NULL AND NOT COALESCE(lower(event ->> '$.userAgent') LIKE 'console.%' ESCAPE '\', FALSE) THEN '5a000025-0000-4000-8000-000000000025' END], lambda r: r IS NOT NULL) AS matched_rules
    FROM cloudtrail_events
) AS evaluated
WHERE len(matched_rules) > 0
ORDER BY eventTime DESC;

