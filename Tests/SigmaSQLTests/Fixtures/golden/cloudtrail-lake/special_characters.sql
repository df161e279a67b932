-- Values with quote, percent, underscore, backslash, star and question mark (5a000003-0000-4000-8000-000000000003)
SELECT
    format_datetime(eventTime AT TIME ZONE 'UTC', 'yyyy-MM-dd''T''HH:mm:ss''Z''') AS eventTime,
    eventID,
    eventSource,
    eventName,
    userIdentity.arn,
    sourceIPAddress,
    awsRegion,
    errorCode
FROM eds
WHERE lower(userAgent) LIKE '%it''s 100\% a\_b \\ path *star ?q%' ESCAPE '\'
   OR lower(userAgent) = 'it''s 100% a_b \ path *star ?q'
   OR lower(userAgent) LIKE '%*star _q' ESCAPE '\'
ORDER BY eventTime DESC;

