-- Select list from fields (5a000028-0000-4000-8000-000000000028)
-- warning: field 'resources.ARN' of `fields` has no single value in this table layout; not selected
SELECT
    eventtime,
    eventid,
    eventsource,
    eventname,
    useridentity.arn,
    json_extract_scalar(requestparameters, '$.bucketName') AS "requestParameters.bucketName"
FROM cloudtrail_logs
WHERE lower(eventname) = 'putbucketversioning'
ORDER BY eventtime DESC;

-- A field the table has no column for (5a000029-0000-4000-8000-000000000029)
-- warning: 'status' is not a column (or struct field) of the Athena CloudTrail table; the field is always missing there
SELECT eventtime, eventid, eventsource, eventname, useridentity.arn, sourceipaddress, awsregion, errorcode
FROM cloudtrail_logs
WHERE lower(eventsource) = 'iam.amazonaws.com'
ORDER BY eventtime DESC;

