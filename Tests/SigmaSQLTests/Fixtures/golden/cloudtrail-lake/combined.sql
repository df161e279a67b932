-- 5 rules (combined)
SELECT *
FROM (
    SELECT
        format_datetime(eventTime AT TIME ZONE 'UTC', 'yyyy-MM-dd''T''HH:mm:ss''Z''') AS eventTime,
        eventID,
        eventSource,
        eventName,
        userIdentity.arn,
        sourceIPAddress,
        awsRegion,
        errorCode,
        filter(ARRAY[CASE WHEN lower(eventSource) = 'ec2.amazonaws.com' AND lower(eventName) IN ('authorizesecuritygroupegress', 'authorizesecuritygroupingress') AND NOT COALESCE(lower(eventName) = 'authorize', FALSE) THEN '5a000001-0000-4000-8000-000000000001' END, CASE WHEN lower(eventSource) = 'ec2.amazonaws.com' AND errorCode IS NULL THEN '5a000005-0000-4000-8000-000000000005' END, CASE WHEN lower(errorCode) = '' THEN '5a000006-0000-4000-8000-000000000006' END, CASE WHEN (lower(eventSource) = 'ec2.amazonaws.com' AND errorCode IS NOT NULL) OR ((errorCode IS NULL OR lower(errorCode) = '') AND lower(eventSource) = 'ec2.amazonaws.com') THEN '5a000007-0000-4000-8000-000000000007' END, CASE WHEN lower(eventSource) = 'ec2.amazonaws.com' AND (lower(eventName) LIKE 'authorize%' ESCAPE '\' OR lower(eventName) LIKE 'revoke%' ESCAPE '\') AND errorCode IS NULL AND NOT COALESCE(lower(userAgent) LIKE 'console.%' ESCAPE '\', FALSE) THEN '5a000025-0000-4000-8000-000000000025' END], r -> r IS NOT NULL) AS matched_rules
    FROM eds
) AS evaluated
WHERE cardinality(matched_rules) > 0
ORDER BY eventTime DESC;

