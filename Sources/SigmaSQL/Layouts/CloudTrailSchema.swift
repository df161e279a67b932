/// What the converter knows of the CloudTrail record schema: which fields are scalars, objects, or arrays of
/// structs. Table layouts map these CloudTrail spellings (`userIdentity.sessionContext.attributes.mfaAuthenticated`)
/// to their columns; a rule field spelled any other way is not a CloudTrail field (EV-01: names are case-sensitive).
enum CloudTrailSchema {
    /// Top-level scalar fields (strings; `readOnly` and `managementEvent` are JSON booleans).
    static let topLevelScalars: [String] = [
        "eventVersion", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent",
        "errorCode", "errorMessage", "requestID", "eventID", "eventType", "apiVersion", "readOnly",
        "recipientAccountId", "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId", "eventCategory",
        "sessionCredentialFromConsole",
    ]

    /// Scalar fields inside the objects the Athena table declares as structs.
    static let nestedScalars: [String] = [
        "userIdentity.type", "userIdentity.principalId", "userIdentity.arn", "userIdentity.accountId",
        "userIdentity.invokedBy", "userIdentity.accessKeyId", "userIdentity.userName",
        "userIdentity.onBehalfOf.userId", "userIdentity.onBehalfOf.identityStoreArn",
        "userIdentity.sessionContext.attributes.mfaAuthenticated",
        "userIdentity.sessionContext.attributes.creationDate",
        "userIdentity.sessionContext.sessionIssuer.type", "userIdentity.sessionContext.sessionIssuer.principalId",
        "userIdentity.sessionContext.sessionIssuer.arn", "userIdentity.sessionContext.sessionIssuer.accountId",
        "userIdentity.sessionContext.sessionIssuer.userName", "userIdentity.sessionContext.ec2RoleDelivery",
        "userIdentity.sessionContext.webIdFederationData.federatedProvider",
        "addendum.reason", "addendum.updatedFields", "addendum.originalRequestID", "addendum.originalEventID",
        "tlsDetails.tlsVersion", "tlsDetails.cipherSuite", "tlsDetails.clientProvidedHostHeader",
    ]

    /// Objects the Athena table declares as structs (compared as a whole only for null / exists).
    static let structObjects: [String] = [
        "userIdentity", "userIdentity.onBehalfOf", "userIdentity.sessionContext",
        "userIdentity.sessionContext.attributes", "userIdentity.sessionContext.sessionIssuer",
        "userIdentity.sessionContext.webIdFederationData", "addendum", "tlsDetails",
    ]

    /// Objects the Athena table keeps as JSON text (`requestparameters STRING`, ...).
    static let jsonTextObjects: [String] = [
        "requestParameters", "responseElements", "additionalEventData", "serviceEventDetails", "edgeDeviceDetails",
    ]

    /// `resources` is an array of `{ARN, accountId, type}` objects.
    static let resourcesFields: [String: String] = ["ARN": "arn", "accountId": "accountid", "type": "type"]

    /// Every scalar field the schema knows.
    static let scalars: Set<String> = Set(topLevelScalars + nestedScalars)

    /// The default select list (CloudTrail spellings).
    static let defaultSelect: [String] = [
        "eventTime", "eventID", "eventSource", "eventName", "userIdentity.arn", "sourceIPAddress", "awsRegion",
        "errorCode",
    ]

    /// The DDL of the Athena table this layout expects: AWS's documented `cloudtrail_logs` table
    /// (Athena User Guide, "Create a table for CloudTrail logs in Athena using manual partitioning").
    static let athenaDDL = """
        CREATE EXTERNAL TABLE cloudtrail_logs (
            eventversion STRING,
            useridentity STRUCT<
                type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING,
                accesskeyid: STRING, username: STRING,
                onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>,
                sessioncontext: STRUCT<
                    attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
                    sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING,
                                          username: STRING>,
                    ec2roledelivery: STRING,
                    webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING, STRING>>>>,
            eventtime STRING,
            eventsource STRING,
            eventname STRING,
            awsregion STRING,
            sourceipaddress STRING,
            useragent STRING,
            errorcode STRING,
            errormessage STRING,
            requestparameters STRING,
            responseelements STRING,
            additionaleventdata STRING,
            requestid STRING,
            eventid STRING,
            resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
            eventtype STRING,
            apiversion STRING,
            readonly STRING,
            recipientaccountid STRING,
            serviceeventdetails STRING,
            sharedeventid STRING,
            vpcendpointid STRING,
            vpcendpointaccountid STRING,
            eventcategory STRING,
            addendum STRUCT<reason: STRING, updatedfields: STRING, originalrequestid: STRING,
                            originaleventid: STRING>,
            sessioncredentialfromconsole STRING,
            edgedevicedetails STRING,
            tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>
        )
        ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
        STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
        OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
        LOCATION 's3://amzn-s3-demo-bucket/AWSLogs/111122223333/CloudTrail/'
        """
}
