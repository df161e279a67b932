-- 5 rules (combined)
SELECT *
FROM (
    SELECT
        get_json_object(event, '$.eventTime') AS eventTime,
        get_json_object(event, '$.eventID') AS eventID,
        get_json_object(event, '$.eventSource') AS eventSource,
        get_json_object(event, '$.eventName') AS eventName,
        get_json_object(event, '$.userIdentity.arn') AS `userIdentity.arn`,
        get_json_object(event, '$.sourceIPAddress') AS sourceIPAddress,
        get_json_object(event, '$.awsRegion') AS awsRegion,
        get_json_object(event, '$.errorCode') AS errorCode,
        filter(array(CASE WHEN lower(get_json_object(event, '$.eventSource')) = 'ec2.amazonaws.com' AND lower(get_json_object(event, '$.eventName')) IN ('authorizesecuritygroupegress', 'authorizesecuritygroupingress') AND NOT COALESCE(lower(get_json_object(event, '$.eventName')) = 'authorize', FALSE) THEN '5a000001-0000-4000-8000-000000000001' END, CASE WHEN lower(get_json_object(event, '$.eventSource')) = 'ec2.amazonaws.com' AND get_json_object(event, '$.errorCode') IS NULL THEN '5a000005-0000-4000-8000-000000000005' END, CASE WHEN lower(get_json_object(event, '$.errorCode')) = '' THEN '5a000006-0000-4000-8000-000000000006' END, CASE WHEN (lower(get_json_object(event, '$.eventSource')) = 'ec2.amazonaws.com' AND get_json_object(event, '$.errorCode') IS NOT NULL) OR ((get_json_object(event, '$.errorCode') IS NULL OR lower(get_json_object(event, '$.errorCode')) = '') AND lower(get_json_object(event, '$.eventSource')) = 'ec2.amazonaws.com') THEN '5a000007-0000-4000-8000-000000000007' END, CASE WHEN lower(get_json_object(event, '$.eventSource')) = 'ec2.amazonaws.com' AND (lower(get_json_object(event, '$.eventName')) LIKE 'authorize%' ESCAPE '\\' OR lower(get_json_object(event, '$.eventName')) LIKE 'revoke%' ESCAPE '\\') AND get_json_object(event, '$.errorCode') IS NULL AND NOT COALESCE(lower(get_json_object(event, '$.userAgent')) LIKE 'console.%' ESCAPE '\\', FALSE) THEN '5a000025-0000-4000-8000-000000000025' END), r -> r IS NOT NULL) AS matched_rules
    FROM cloudtrail_events
) AS evaluated
WHERE size(matched_rules) > 0
ORDER BY eventTime DESC;

