-- Select list from fields (5a000028-0000-4000-8000-000000000028)
-- warning: field 'resources.ARN' of `fields` has no single value in this table layout; not selected
SELECT
    format_datetime(eventTime AT TIME ZONE 'UTC', 'yyyy-MM-dd''T''HH:mm:ss''Z''') AS eventTime,
    eventID,
    eventSource,
    eventName,
    userIdentity.arn,
    element_at(requestParameters, 'bucketName') AS "requestParameters.bucketName"
FROM eds
WHERE lower(eventName) = 'putbucketversioning'
ORDER BY eventTime DESC;

-- A field the table has no column for (5a000029-0000-4000-8000-000000000029)
-- warning: 'status' is not a column (or struct field) of a CloudTrail Lake event data store; the field is always missing there
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
WHERE lower(eventSource) = 'iam.amazonaws.com'
ORDER BY eventTime DESC;

