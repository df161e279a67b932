import Testing

@testable import AWSClient

@Suite struct ErrorParsingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var status: Int
        var body: String
        var headers: [(name: String, value: String)] = []
        var code: String?
        var message: String?
        var kind: AWSError.Kind
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "S3 NoSuchKey", status: 404,
            body: """
                <?xml version="1.0" encoding="UTF-8"?>
                <Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>\
                <Key>a &amp; b.json</Key><RequestId>1</RequestId></Error>
                """,
            code: "NoSuchKey", message: "The specified key does not exist.", kind: .noSuchKey
        ),
        Case(
            name: "S3 NoSuchBucket", status: 404,
            body: "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>",
            code: "NoSuchBucket", message: "The specified bucket does not exist", kind: .noSuchBucket
        ),
        Case(
            name: "S3 InvalidAccessKeyId", status: 403,
            body: "<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided does not exist "
                + "in our records.</Message></Error>",
            code: "InvalidAccessKeyId", message: "The AWS Access Key Id you provided does not exist in our records.",
            kind: .badCredentials
        ),
        Case(
            name: "S3 AccessDenied", status: 403,
            body: "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
            code: "AccessDenied", message: "Access Denied", kind: .accessDenied
        ),
        Case(
            name: "S3 SlowDown", status: 503,
            body: "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
            code: "SlowDown", message: "Please reduce your request rate.", kind: .throttled
        ),
        Case(
            name: "SQS JSON QueueDoesNotExist", status: 400,
            body: #"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#,
            headers: [("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")],
            code: "QueueDoesNotExist", message: "The specified queue does not exist.", kind: .queueDoesNotExist
        ),
        Case(
            name: "SQS JSON legacy code", status: 400,
            body: #"{"__type":"AWS.SimpleQueueService.NonExistentQueue","message":"#
                + #""The specified queue does not exist."}"#,
            code: "AWS.SimpleQueueService.NonExistentQueue", message: "The specified queue does not exist.",
            kind: .queueDoesNotExist
        ),
        Case(
            name: "SQS JSON UnrecognizedClientException", status: 400,
            body: #"{"__type":"com.amazon.coral.service#UnrecognizedClientException","#
                + #""message":"The security token included in the request is invalid."}"#,
            code: "UnrecognizedClientException", message: "The security token included in the request is invalid.",
            kind: .badCredentials
        ),
        Case(
            name: "query-protocol SignatureDoesNotMatch", status: 403,
            body: "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The request "
                + "signature we calculated does not match</Message></Error><RequestId>x</RequestId></ErrorResponse>",
            code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match",
            kind: .badCredentials
        ),
        Case(
            name: "SQS throttling", status: 400,
            body: #"{"__type":"com.amazonaws.sqs#RequestThrottled","message":"slow down"}"#,
            code: "RequestThrottled", message: "slow down", kind: .throttled
        ),
        Case(name: "bare 500", status: 500, body: "", code: nil, message: nil, kind: .serverError),
        Case(name: "bare 429", status: 429, body: "oops", code: nil, message: nil, kind: .throttled),
        Case(
            name: "error type only in a header", status: 400, body: "",
            headers: [("X-Amzn-ErrorType", "InvalidClientTokenId:http://internal.amazon.com/")],
            code: "InvalidClientTokenId", message: nil, kind: .badCredentials
        ),
    ]

    @Test(arguments: cases)
    func parsesAndClassifies(_ item: Case) {
        let (code, message) = AWSErrorBody.parse(Array(item.body.utf8), headers: item.headers)
        #expect(code == item.code)
        #expect(message == item.message)
        #expect(AWSError.kind(code: code, statusCode: item.status) == item.kind)
    }

    @Test func descriptionNamesOperationResourceCodeAndHint() {
        let error = AWSError(
            kind: .badCredentials, operation: "ReceiveMessage", resource: "https://sqs.x/1/q",
            code: "InvalidClientTokenId", message: "The security token included in the request is invalid.",
            statusCode: 403
        )
        #expect(error.description.hasPrefix("ReceiveMessage https://sqs.x/1/q failed: InvalidClientTokenId (HTTP 403)"))
        #expect(error.description.contains("check the AWS credentials"))
        #expect(!error.isRetryable)
        #expect(AWSError(kind: .transport, operation: "o", resource: "r", message: "m").isRetryable)
    }

    @Test func xmlReaderDecodesEntitiesAndFindsRepeats() {
        let xml = "<R><Key>a &lt;b&gt; &#x263A; &#65;</Key><Key/><Key>c</Key></R>"
        #expect(XMLTags.values(of: "Key", in: xml) == ["a <b> ☺ A", "", "c"])
        #expect(XMLTags.firstValue(of: "Missing", in: xml) == nil)
    }
}

@Test func retryDelaysGrowAndAreCapped() {
    let policy = RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(100), maxDelay: .seconds(1))
    for _ in 0..<20 {
        let first = policy.delay(beforeRetry: 1)
        #expect(first >= .milliseconds(50) && first <= .milliseconds(100))
        let fourth = policy.delay(beforeRetry: 4)
        #expect(fourth >= .milliseconds(400) && fourth <= .milliseconds(800))
        let late = policy.delay(beforeRetry: 40)
        #expect(late >= .milliseconds(500) && late <= .seconds(1))
    }
}
