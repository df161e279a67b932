-- Values with quote, percent, underscore, backslash, star and question mark (5a000003-0000-4000-8000-000000000003)
SELECT
    get_json_object(event, '$.eventTime') AS eventTime,
    get_json_object(event, '$.eventID') AS eventID,
    get_json_object(event, '$.eventSource') AS eventSource,
    get_json_object(event, '$.eventName') AS eventName,
    get_json_object(event, '$.userIdentity.arn') AS `userIdentity.arn`,
    get_json_object(event, '$.sourceIPAddress') AS sourceIPAddress,
    get_json_object(event, '$.awsRegion') AS awsRegion,
    get_json_object(event, '$.errorCode') AS errorCode
FROM cloudtrail_events
WHERE lower(get_json_object(event, '$.userAgent')) LIKE '%it\'s 100\\% a\\_b \\\\ path *star ?q%' ESCAPE '\\'
   OR lower(get_json_object(event, '$.userAgent')) = 'it\'s 100% a_b \\ path *star ?q'
   OR lower(get_json_object(event, '$.userAgent')) LIKE '%*star _q' ESCAPE '\\'
ORDER BY eventTime DESC;

