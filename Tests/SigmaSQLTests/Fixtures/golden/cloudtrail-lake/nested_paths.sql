-- Nested paths through structs and JSON columns (5a00000a-0000-4000-8000-00000000000a)
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
WHERE (
      lower(userIdentity.sessionContext.attributes.mfaAuthenticated) = 'false'
      AND lower(sessionCredentialFromConsole) = 'true'
  )
   OR (
      lower(element_at(requestParameters, 'bucketName')) = 'logs'
      AND any_match(transform(CAST(json_parse(json_query(element_at(requestParameters, 'VersioningConfiguration'), 'lax $.Status[*]' WITH ARRAY WRAPPER)) AS array(json)), x -> IF(is_json_scalar(x), CAST(x AS varchar), json_format(x))), v -> lower(v) = 'suspended')
  )
   OR lower(userIdentity.sessionContext.sessionIssuer.type) = 'role'
ORDER BY eventTime DESC;

