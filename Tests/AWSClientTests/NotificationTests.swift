import Foundation
import Testing

@testable import AWSClient

@Suite struct NotificationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        var expected: S3ObjectNotification
        var testDescription: String { name }
    }

    static func s3Event(_ records: [(event: String, bucket: String, key: String)]) -> String {
        let list = records.map { record in
            [
                "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
                "eventName": record.event,
                "s3": ["bucket": ["name": record.bucket], "object": ["key": record.key, "size": 1]],
            ] as [String: Any]
        }
        return json(["Records": list])
    }

    static func sns(_ message: String, type: String = "Notification") -> String {
        json(["Type": type, "MessageId": "m", "TopicArn": "arn:aws:sns:us-east-1:1:t", "Message": message])
    }

    static func json(_ object: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func refs(_ bucket: String, _ keys: String...) -> S3ObjectNotification {
        .objects(keys.map { S3ObjectReference(bucket: bucket, key: $0) })
    }

    static let cloudTrail = json([
        "s3Bucket": "trail", "s3ObjectKey": ["AWSLogs/1/CloudTrail/us-east-1/2026/01/15/a b+c.json.gz", "k2.json.gz"],
    ])

    static let cases: [Case] = [
        Case(
            name: "S3 event, key URL-encoded with + for space",
            body: s3Event([("ObjectCreated:Put", "trail", "AWSLogs/my+file%2B1%C3%BC.json.gz")]),
            expected: refs("trail", "AWSLogs/my file+1ü.json.gz")
        ),
        Case(
            name: "S3 event with several records, deletions left out, duplicates removed",
            body: s3Event([
                ("ObjectCreated:CompleteMultipartUpload", "b", "a.json"), ("ObjectRemoved:Delete", "b", "gone.json"),
                ("ObjectCreated:Copy", "b", "c.json"), ("ObjectCreated:Put", "b", "a.json"),
            ]),
            expected: refs("b", "a.json", "c.json")
        ),
        Case(
            name: "S3 event with only a deletion",
            body: s3Event([("ObjectRemoved:Delete", "b", "gone.json")]),
            expected: .ignored(reason: "S3 event with no ObjectCreated record (ObjectRemoved:Delete)")
        ),
        Case(
            name: "S3 test event",
            body: json(["Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "trail", "RequestId": "r"]),
            expected: .ignored(reason: "S3 test event for bucket trail")
        ),
        Case(
            name: "S3 event inside SNS",
            body: sns(s3Event([("ObjectCreated:Put", "b", "x%3Dy.json")])),
            expected: refs("b", "x=y.json")
        ),
        Case(
            name: "CloudTrail notification inside SNS, keys as they are",
            body: sns(cloudTrail),
            expected: refs("trail", "AWSLogs/1/CloudTrail/us-east-1/2026/01/15/a b+c.json.gz", "k2.json.gz")
        ),
        Case(
            name: "CloudTrail notification delivered raw",
            body: cloudTrail,
            expected: refs("trail", "AWSLogs/1/CloudTrail/us-east-1/2026/01/15/a b+c.json.gz", "k2.json.gz")
        ),
        Case(
            name: "SNS subscription confirmation",
            body: sns("You have chosen to subscribe", type: "SubscriptionConfirmation"),
            expected: .ignored(reason: "SNS SubscriptionConfirmation message")
        ),
        Case(
            name: "EventBridge Object Created",
            body: json([
                "version": "0", "detail-type": "Object Created", "source": "aws.s3",
                "detail": ["bucket": ["name": "b"], "object": ["key": "logs/x y.json", "size": 3]],
            ]),
            expected: refs("b", "logs/x y.json")
        ),
        Case(
            name: "EventBridge Object Deleted",
            body: json([
                "detail-type": "Object Deleted", "source": "aws.s3",
                "detail": ["bucket": ["name": "b"], "object": ["key": "k"]],
            ]),
            expected: .ignored(reason: "EventBridge S3 'Object Deleted' event")
        ),
    ]

    @Test(arguments: cases)
    func parses(_ item: Case) throws {
        #expect(try S3ObjectNotification.parse(body: item.body) == item.expected)
    }

    static let bad: [(String, String)] = [
        ("not json at all", "not a JSON object"),
        ("[1, 2]", "not a JSON object"),
        (#"{"hello": "world"}"#, "not an S3 event notification"),
        (
            #"{"Records": [{"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "b"}}}]}"#,
            "lacks s3.bucket.name or s3.object.key"
        ),
        (
            #"{"Records": [{"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "b"}, "#
                + #""object": {"key": "%ZZ"}}}]}"#,
            "malformed"
        ),
        (#"{"Records": "x"}"#, "Records is not a list"),
        (#"{"Type": "Notification", "TopicArn": "t", "Message": "not json"}"#, "SNS Message is not a JSON object"),
        (#"{"s3Bucket": "b", "s3ObjectKey": "single"}"#, "CloudTrail notification needs"),
        (#"{"detail-type": "Object Created", "source": "aws.s3", "detail": {}}"#, "lacks detail.bucket.name"),
    ]

    @Test(arguments: bad)
    func rejectsWithAReason(_ body: String, _ reason: String) {
        do throws(S3NotificationError) {
            let result = try S3ObjectNotification.parse(body: body)
            Issue.record("parsed as \(result)")
        } catch {
            #expect(error.reason.contains(reason), "\(error)")
            #expect(error.description.contains(String(body.prefix(10))))
        }
    }
}

@Suite struct LocationAndFilterTests {
    @Test(arguments: [
        ("s3://trail", "trail", ""),
        ("s3://trail/", "trail", ""),
        ("s3://my.trail-logs/AWSLogs/123/", "my.trail-logs", "AWSLogs/123/"),
    ])
    func parsesLocations(_ text: String, _ bucket: String, _ prefix: String) throws {
        #expect(try S3Location(parsing: text) == S3Location(bucket: bucket, prefix: prefix))
    }

    @Test(arguments: ["trail/prefix", "s3://", "s3:///key", "https://trail/x", "s3://bad bucket/x"])
    func rejectsNonLocations(_ text: String) {
        #expect(throws: S3LocationError.self) { try S3Location(parsing: text) }
    }

    @Test(
        arguments: [
            ("trail", "AWSLogs/1/CloudTrail/us-east-1/x.json.gz", nil),
            ("trail", "AWSLogs/1/CloudTrail/us-east-1/x.jsonl", nil),
            ("other", "AWSLogs/1/x.json.gz", "outside s3://trail/AWSLogs/"),
            ("trail", "Elsewhere/x.json.gz", "outside s3://trail/AWSLogs/"),
            ("trail", "AWSLogs/1/CloudTrail-Digest/us-east-1/x.json.gz", "CloudTrail digest file"),
            ("trail", "AWSLogs/1/CloudTrail/x.csv", "the key does not end with .json.gz, .json, .jsonl, .jsonl.gz"),
        ] as [(String, String, String?)])
    func filters(_ bucket: String, _ key: String, _ reason: String?) {
        let options = S3NotificationFeed.Options(
            queueURL: "q", location: S3Location(bucket: "trail", prefix: "AWSLogs/"))
        #expect(options.skipReason(S3ObjectReference(bucket: bucket, key: key)) == reason)
    }
}

@Suite struct AddressingTests {
    static func request(
        endpoint: String? = nil, pathStyle: Bool? = nil, region: String = "eu-west-1", bucket: String, key: String
    ) throws -> AWSRequest {
        let configuration = AWSClientConfiguration(
            credentials: AWSCredentials(accessKeyID: "a", secretAccessKey: "b"), region: region,
            endpointURL: endpoint, s3PathStyle: pathStyle
        )
        return try S3Client.objectRequest(configuration: configuration, method: "GET", bucket: bucket, key: key)
    }

    @Test func virtualHostedOnAWS() throws {
        #expect(
            try Self.request(bucket: "trail", key: "a b/c.json").url
                == "https://trail.s3.eu-west-1.amazonaws.com/a%20b/c.json")
        #expect(try Self.request(bucket: "my.trail", key: "k").url == "https://s3.eu-west-1.amazonaws.com/my.trail/k")
        #expect(
            try Self.request(region: "cn-north-1", bucket: "t", key: "k").url
                == "https://t.s3.cn-north-1.amazonaws.com.cn/k")
        #expect(
            try Self.request(pathStyle: true, bucket: "t", key: "k").url == "https://s3.eu-west-1.amazonaws.com/t/k")
    }

    @Test func pathStyleWithAnEndpoint() throws {
        let request = try Self.request(endpoint: "http://127.0.0.1:9000", bucket: "trail", key: "x+y.json")
        #expect(request.url == "http://127.0.0.1:9000/trail/x%2By.json")
        #expect(request.host == "127.0.0.1:9000")
        #expect(
            try Self.request(endpoint: "https://storage.example.net", pathStyle: false, bucket: "t", key: "k").url
                == "https://t.storage.example.net/k")
        #expect(throws: AWSError.self) { try Self.request(endpoint: "ftp://x", bucket: "t", key: "k") }
        #expect(throws: AWSError.self) { try Self.request(bucket: "", key: "k") }
    }
}
