-- Expansions stay OR groups (5a000022-0000-4000-8000-000000000022)
-- warning: non-ASCII letters are compared with the engine's lower() on the event side and Unicode lower-casing on the rule side; both differ from Sigma's case folding for a few letters (ß, ſ, ς)
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
WHERE lower(element_at(requestParameters, 'commands')) LIKE '% -encodedcommand%' ESCAPE '\'
   OR lower(element_at(requestParameters, 'commands')) LIKE '% /encodedcommand%' ESCAPE '\'
   OR lower(element_at(requestParameters, 'commands')) LIKE '% –encodedcommand%' ESCAPE '\'
   OR lower(element_at(requestParameters, 'commands')) LIKE '% —encodedcommand%' ESCAPE '\'
   OR lower(element_at(requestParameters, 'commands')) LIKE '% ―encodedcommand%' ESCAPE '\'
   OR lower(element_at(requestParameters, 'url')) LIKE '%ahr0cdovl%' ESCAPE '\'
   OR lower(element_at(requestParameters, 'url')) LIKE '%h0dha6ly%' ESCAPE '\'
   OR lower(element_at(requestParameters, 'url')) LIKE '%odhrwoi8v%' ESCAPE '\'
ORDER BY eventTime DESC;

