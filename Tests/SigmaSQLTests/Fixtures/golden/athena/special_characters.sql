-- Values with quote, percent, underscore, backslash, star and question mark (5a000003-0000-4000-8000-000000000003)
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(useragent) LIKE '%it''s 100\% a\_b \\ path *star ?q%' ESCAPE '\'
   OR lower(useragent) = 'it''s 100% a_b \ path *star ?q'
   OR lower(useragent) LIKE '%*star _q' ESCAPE '\'
ORDER BY eventtime DESC;

