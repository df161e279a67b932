-- 5 rules (combined)
SELECT *
FROM (
    SELECT
        eventtime,
        eventid,
        eventsource,
        eventname,
        useridentity.arn,
        sourceipaddress,
        awsregion,
        errorcode,
        filter(ARRAY[CASE WHEN lower(eventsource) = 'ec2.amazonaws.com' AND lower(eventname) IN ('authorizesecuritygroupegress', 'authorizesecuritygroupingress') AND NOT COALESCE(lower(eventname) = 'authorize', FALSE) THEN '5a000001-0000-4000-8000-000000000001' END, CASE WHEN lower(eventsource) = 'ec2.amazonaws.com' AND errorcode IS NULL THEN '5a000005-0000-4000-8000-000000000005' END, CASE WHEN lower(errorcode) = '' THEN '5a000006-0000-4000-8000-000000000006' END, CASE WHEN (lower(eventsource) = 'ec2.amazonaws.com' AND errorcode IS NOT NULL) OR ((errorcode IS NULL OR lower(errorcode) = '') AND lower(eventsource) = 'ec2.amazonaws.com') THEN '5a000007-0000-4000-8000-000000000007' END, CASE WHEN lower(eventsource) = 'ec2.amazonaws.com' AND (lower(eventname) LIKE 'authorize%' ESCAPE '\' OR lower(eventname) LIKE 'revoke%' ESCAPE '\') AND errorcode IS NULL AND NOT COALESCE(lower(useragent) LIKE 'console.%' ESCAPE '\', FALSE) THEN '5a000025-0000-4000-8000-000000000025' END], r -> r IS NOT NULL) AS matched_rules
    FROM cloudtrail_logs
) AS evaluated
WHERE cardinality(matched_rules) > 0
ORDER BY eventtime DESC;

