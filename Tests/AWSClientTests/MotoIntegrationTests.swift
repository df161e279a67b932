import MotoTestSupport
import Foundation
import Synchronization
import Testing

@testable import AWSClient

/// The clients against a real local AWS API (moto), one server for the suite, unique names per test.
@Suite(.enabled(if: MotoServer.isInstalled, MotoServer.notInstalledReason), .motoServer)
struct MotoIntegrationTests {
    /// A gzip'd CloudTrail-like log file (one CreateAccessKey record).
    static let cloudTrailGzip = Array(
        Data(
            base64Encoded: "H4sIAAAAAAACAz2OwQ6CMBBEf4X0bEnBaAg34okYPSB60HjYlI1pYqnpFg0S/t0CwnXem9ntWIHS2IpYGtw6hm+s3Q"
                + "UtKVP7hEWhSNgqmPJSaRzCWMRbLiIebUqRpGuRCnFdpJNprBw1BToEDV9Tw4dCafTiHGEa2lkEh5mUSLTHduBeLfDx"
                + "v94QRyDHo4E0hDavfFu51sOOufY1ruTZ4ezZ7Mzj8FT+j76/9z9y+DjN5AAAAA==")!)

    /// The clients over one HTTP layer, shut down after `body` whatever happens.
    static func withClients<T: Sendable>(
        credentials: AWSCredentials = AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "test"),
        endpoint: String? = nil,
        _ body: (S3Client, SQSClient) async throws -> T
    ) async throws -> T {
        let server = try #require(MotoServer.current)
        // A refused connection is retried by AsyncHTTPClient until the connect timeout: keep it short for the
        // closed-port tests.
        let http = AWSHTTPClient(
            configuration: AWSClientConfiguration(
                credentials: credentials, region: "us-east-1", endpointURL: endpoint ?? server.endpoint,
                connectTimeout: endpoint == nil ? .seconds(10) : .milliseconds(300), requestTimeout: .seconds(30)
            ))
        do {
            let result = try await body(S3Client(http: http), SQSClient(http: http))
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    static func uniqueName(_ base: String) -> String {
        "\(base)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func s3Event(bucket: String, keys: [String]) -> String {
        let records = keys.map { key in
            """
            {"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectCreated:Put",\
            "s3":{"bucket":{"name":"\(bucket)"},"object":{"key":"\(encodeKey(key))","size":1}}}
            """
        }
        return #"{"Records":["# + records.joined(separator: ",") + "]}"
    }

    /// S3's notification encoding: form-style, `+` for a space.
    static func encodeKey(_ key: String) -> String {
        URIEncoding.encode(key).replacingOccurrences(of: "%20", with: "+")
    }

    /// Receives directly (no feed) after the visibility timeout has passed: what is still in the queue.
    static func remainingMessages(_ sqs: SQSClient, _ queueURL: String) async throws -> [SQSClient.Message] {
        try await Task.sleep(for: .milliseconds(1_500))
        return try await sqs.receiveMessages(queueURL: queueURL, max: 10, waitSeconds: 0)
    }

    static func feed(
        _ s3: S3Client, _ sqs: SQSClient, queueURL: String, location: S3Location? = nil, issues: IssueLog? = nil
    ) -> S3NotificationFeed {
        S3NotificationFeed(
            s3: s3, sqs: sqs,
            options: .init(
                queueURL: queueURL, location: location, waitSeconds: 1, visibilityTimeout: 1,
                retry: RetryPolicy(maxAttempts: 2, initialDelay: .milliseconds(50), maxDelay: .milliseconds(200))
            ),
            onIssue: { issue in issues?.append(issue) }
        )
    }

    @Test func objectRoundTripAndAcknowledgedMessageIsGone() async throws {
        try await Self.withClients { s3, sqs in
            let bucket = Self.uniqueName("trail")
            let key = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/15/log file+1.json.gz"
            try await s3.createBucket(bucket)
            let etag = try await s3.putObject(bucket: bucket, key: key, bytes: Self.cloudTrailGzip)
            let queueURL = try await sqs.createQueue(name: Self.uniqueName("events"))
            try await sqs.sendMessage(queueURL: queueURL, body: Self.s3Event(bucket: bucket, keys: [key]))

            let feed = Self.feed(s3, sqs, queueURL: queueURL, location: S3Location(bucket: bucket, prefix: "AWSLogs/"))
            let object = try await withTimeout(30) {
                var objects = feed.objects().makeAsyncIterator()
                return try #require(try await objects.next())
            }
            #expect(object.bucket == bucket)
            #expect(object.key == key)
            #expect(object.bytes == Self.cloudTrailGzip)
            #expect(object.etag == etag)
            try await feed.acknowledge(object)
            #expect(try await Self.remainingMessages(sqs, queueURL).isEmpty)
        }
    }

    @Test func unacknowledgedMessageComesBackAfterItsVisibilityTimeout() async throws {
        try await Self.withClients { s3, sqs in
            let bucket = Self.uniqueName("trail")
            try await s3.createBucket(bucket)
            try await s3.putObject(bucket: bucket, key: "a.json", bytes: Array(#"{"Records":[]}"#.utf8))
            let queueURL = try await sqs.createQueue(name: Self.uniqueName("events"))
            try await sqs.sendMessage(queueURL: queueURL, body: Self.s3Event(bucket: bucket, keys: ["a.json"]))

            let feed = Self.feed(s3, sqs, queueURL: queueURL)
            let (first, second) = try await withTimeout(30) {
                var objects = feed.objects().makeAsyncIterator()
                let first = try #require(try await objects.next())
                let second = try #require(try await objects.next())  // no ack: the same message, redelivered
                return (first, second)
            }
            #expect(first.key == "a.json" && second.key == "a.json")
            #expect(first.messageID == second.messageID)
            try await feed.acknowledge(second)
            #expect(try await Self.remainingMessages(sqs, queueURL).isEmpty)
        }
    }

    @Test func missingObjectIsReportedAndTheRestOfItsMessageStillFlows() async throws {
        try await Self.withClients { s3, sqs in
            let bucket = Self.uniqueName("trail")
            try await s3.createBucket(bucket)
            try await s3.putObject(bucket: bucket, key: "present.json.gz", bytes: Self.cloudTrailGzip)
            let queueURL = try await sqs.createQueue(name: Self.uniqueName("events"))
            try await sqs.sendMessage(
                queueURL: queueURL, body: Self.s3Event(bucket: bucket, keys: ["missing.json.gz", "present.json.gz"])
            )
            let issues = IssueLog()
            let feed = Self.feed(s3, sqs, queueURL: queueURL, issues: issues)
            let object = try await withTimeout(30) {
                var objects = feed.objects().makeAsyncIterator()
                return try #require(try await objects.next())
            }
            #expect(object.key == "present.json.gz")
            let missing = issues.all.compactMap { issue -> S3ObjectReference? in
                if case .objectMissing(let reference, _, let error) = issue, error.kind == .noSuchKey {
                    return reference
                }
                return nil
            }
            #expect(missing == [S3ObjectReference(bucket: bucket, key: "missing.json.gz")])
            try await feed.acknowledge(object)
            #expect(try await Self.remainingMessages(sqs, queueURL).isEmpty)
        }
    }

    @Test func cloudTrailSNSNotificationWithFilters() async throws {
        try await Self.withClients { s3, sqs in
            let bucket = Self.uniqueName("trail")
            try await s3.createBucket(bucket)
            let keys = [
                "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/15/one.json.gz",
                "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/15/two ü.json.gz",
            ]
            for (index, key) in keys.enumerated() {
                try await s3.putObject(bucket: bucket, key: key, bytes: Array("object \(index)".utf8))
            }
            let digest = "AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/01/15/digest.json.gz"
            let inner = try JSONSerialization.data(withJSONObject: ["s3Bucket": bucket, "s3ObjectKey": keys + [digest]])
            let envelope = try JSONSerialization.data(withJSONObject: [
                "Type": "Notification", "MessageId": "sns-1", "TopicArn": "arn:aws:sns:eu-west-1:111122223333:trail",
                "Message": String(decoding: inner, as: UTF8.self),
            ])
            let queueURL = try await sqs.createQueue(name: Self.uniqueName("events"))
            try await sqs.sendMessage(queueURL: queueURL, body: String(decoding: envelope, as: UTF8.self))

            let issues = IssueLog()
            let feed = Self.feed(
                s3, sqs, queueURL: queueURL, location: S3Location(bucket: bucket, prefix: "AWSLogs/"), issues: issues)
            let objects = try await withTimeout(30) {
                var iterator = feed.objects().makeAsyncIterator()
                return [try #require(try await iterator.next()), try #require(try await iterator.next())]
            }
            #expect(objects.map(\.key) == keys)
            #expect(objects.map { String(decoding: $0.bytes, as: UTF8.self) } == ["object 0", "object 1"])
            #expect(
                issues.all.contains { issue in
                    if case .objectSkipped(let reference, _, "CloudTrail digest file") = issue {
                        return reference.key == digest
                    }
                    return false
                })
            try await feed.acknowledge(objects[0])
            try await feed.acknowledge(objects[1])
            #expect(try await Self.remainingMessages(sqs, queueURL).isEmpty)
        }
    }

    @Test func unreadableAndIgnoredMessagesAreReportedAndDeleted() async throws {
        try await Self.withClients { s3, sqs in
            let queueURL = try await sqs.createQueue(name: Self.uniqueName("events"))
            try await sqs.sendMessage(queueURL: queueURL, body: "this is not JSON")
            try await sqs.sendMessage(queueURL: queueURL, body: #"{"Service":"Amazon S3","Event":"s3:TestEvent"}"#)
            let issues = IssueLog()
            let feed = Self.feed(s3, sqs, queueURL: queueURL, issues: issues)
            // Nothing is ever yielded: consume until both messages were handled, then stop by cancellation.
            let consumer = Task {
                for try await object in feed.objects() { Issue.record("unexpected object \(object.key)") }
            }
            let deadline = ContinuousClock.now + .seconds(20)
            while issues.all.count < 2 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            consumer.cancel()
            try await withTimeout(10) { try await consumer.value }
            #expect(issues.all.contains { if case .messageUnreadable = $0 { true } else { false } })
            #expect(issues.all.contains { if case .messageIgnored(_, "S3 test event") = $0 { true } else { false } })
            #expect(try await Self.remainingMessages(sqs, queueURL).isEmpty)
        }
    }

    @Test func cancellationStopsALongPollPromptly() async throws {
        try await Self.withClients { s3, sqs in
            let queueURL = try await sqs.createQueue(name: Self.uniqueName("empty"))
            let feed = S3NotificationFeed(s3: s3, sqs: sqs, options: .init(queueURL: queueURL, waitSeconds: 20))
            let consumer = Task {
                var count = 0
                for try await _ in feed.objects() { count += 1 }
                return count
            }
            try await Task.sleep(for: .milliseconds(500))
            let start = ContinuousClock.now
            consumer.cancel()
            let count = try await withTimeout(10) { try await consumer.value }
            #expect(count == 0)
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }

    @Test func missingQueueEndsTheStreamWithAClearError() async throws {
        try await Self.withClients { s3, sqs in
            let server = try #require(MotoServer.current)
            let queueURL = "\(server.endpoint)/123456789012/\(Self.uniqueName("nope"))"
            let feed = Self.feed(s3, sqs, queueURL: queueURL)
            do {
                _ = try await withTimeout(30) {
                    var iterator = feed.objects().makeAsyncIterator()
                    return try await iterator.next()
                }
                Issue.record("the stream did not fail")
            } catch let error as AWSError {
                #expect(error.kind == .queueDoesNotExist)
                #expect(error.description.contains(queueURL))
            }
        }
    }

    @Test func s3ErrorsAndLimits() async throws {
        try await Self.withClients { s3, _ in
            let bucket = Self.uniqueName("trail")
            try await s3.createBucket(bucket)
            try await s3.putObject(bucket: bucket, key: "logs/big.json", bytes: Array(repeating: 0x41, count: 4_096))
            try await s3.putObject(bucket: bucket, key: "logs/small.json", bytes: [0x7B, 0x7D])
            try await s3.putObject(bucket: bucket, key: "other/x.json", bytes: [0x7B, 0x7D])
            do {
                _ = try await s3.getObject(bucket: bucket, key: "logs/big.json", maxBytes: 1_000)
                Issue.record("the size limit was not applied")
            } catch let error as AWSError {
                #expect(error.kind == .objectTooLarge)
                #expect(error.description.contains("s3://\(bucket)/logs/big.json"))
            }
            await #expect(throws: AWSError.self) { _ = try await s3.getObject(bucket: bucket, key: "none") }
            do {
                _ = try await s3.getObject(bucket: bucket, key: "none")
            } catch let error as AWSError {
                #expect(error.kind == .noSuchKey && error.code == "NoSuchKey")
            }
            do {
                _ = try await s3.getObject(bucket: Self.uniqueName("absent"), key: "k")
                Issue.record("a missing bucket was read")
            } catch let error as AWSError {
                #expect(error.kind == .noSuchBucket)
            }
            let page = try await s3.listObjectsV2(bucket: bucket, prefix: "logs/")
            #expect(page.objects.map(\.key) == ["logs/big.json", "logs/small.json"])
            #expect(page.objects.map(\.size) == [4_096, 2])
            #expect(page.nextContinuationToken == nil)
        }
    }

    @Test func unreachableEndpointIsARetryableTransportError() async throws {
        // Port 9 (discard) on loopback: nothing listens there in a test run.
        try await Self.withClients(endpoint: "http://127.0.0.1:9") { _, sqs in
            do {
                _ = try await sqs.receiveMessages(queueURL: "http://127.0.0.1:9/1/q", waitSeconds: 0)
                Issue.record("a request to a closed port succeeded")
            } catch let error as AWSError {
                #expect(error.kind == .transport)
                #expect(error.isRetryable)
            }
        }
    }
}

/// Collects feed issues from any thread.
final class IssueLog: Sendable {
    private let issues = Mutex<[FeedIssue]>([])
    func append(_ issue: FeedIssue) { issues.withLock { $0.append(issue) } }
    var all: [FeedIssue] { issues.withLock { $0 } }
}

/// Transient failures, made real by pointing one of the clients at a closed loopback port.
@Suite(.enabled(if: MotoServer.isInstalled, MotoServer.notInstalledReason), .motoServer)
struct MotoTransientFailureTests {
    static let closedPort = "http://127.0.0.1:9"
    static let fastRetry = RetryPolicy(maxAttempts: 2, initialDelay: .milliseconds(20), maxDelay: .milliseconds(50))

    @Test func objectThatCannotBeFetchedIsRetriedReportedAndLeftForRedelivery() async throws {
        try await MotoIntegrationTests.withClients { _, sqs in
            try await MotoIntegrationTests.withClients(endpoint: Self.closedPort) { unreachableS3, _ in
                let queueURL = try await sqs.createQueue(name: MotoIntegrationTests.uniqueName("events"))
                try await sqs.sendMessage(
                    queueURL: queueURL, body: MotoIntegrationTests.s3Event(bucket: "trail", keys: ["a.json"])
                )
                let issues = IssueLog()
                let feed = S3NotificationFeed(
                    s3: unreachableS3, sqs: sqs,
                    options: .init(queueURL: queueURL, waitSeconds: 1, visibilityTimeout: 1, retry: Self.fastRetry),
                    onIssue: { issues.append($0) }
                )
                let consumer = Task {
                    for try await object in feed.objects() { Issue.record("unexpected object \(object.key)") }
                }
                // Two failed rounds: the message came back after its visibility timeout and was tried again.
                let deadline = ContinuousClock.now + .seconds(20)
                while ContinuousClock.now < deadline {
                    let failed = issues.all.filter { if case .objectFailed = $0 { true } else { false } }.count
                    if failed >= 2 { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                consumer.cancel()
                try await withTimeout(10) { try await consumer.value }
                let all = issues.all
                #expect(all.filter { if case .objectFailed = $0 { true } else { false } }.count >= 2)
                #expect(all.contains { if case .retrying("GetObject", _, _) = $0 { true } else { false } })
            }
        }
    }

    @Test func unreachableQueueIsRetriedUntilCancelled() async throws {
        try await MotoIntegrationTests.withClients(endpoint: Self.closedPort) { s3, sqs in
            let issues = IssueLog()
            let feed = S3NotificationFeed(
                s3: s3, sqs: sqs,
                options: .init(queueURL: "\(Self.closedPort)/1/q", waitSeconds: 1, retry: Self.fastRetry),
                onIssue: { issues.append($0) }
            )
            let consumer = Task {
                for try await _ in feed.objects() {}
            }
            let deadline = ContinuousClock.now + .seconds(20)
            while issues.all.count < 3 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            consumer.cancel()
            try await withTimeout(10) { try await consumer.value }
            // More retries than `maxAttempts`: receiving is retried without limit, each retry reported.
            let retries = issues.all.filter {
                if case .retrying("ReceiveMessage", let error, _) = $0 { error.kind == .transport } else { false }
            }
            #expect(retries.count >= 3)
        }
    }
}

extension MotoIntegrationTests {
    @Test func changeMessageVisibilityReturnsAMessageEarly() async throws {
        try await Self.withClients { _, sqs in
            let queueURL = try await sqs.createQueue(name: Self.uniqueName("visibility"))
            let id = try await sqs.sendMessage(queueURL: queueURL, body: "body ü")
            let first = try await sqs.receiveMessages(queueURL: queueURL, waitSeconds: 0, visibilityTimeout: 60)
            #expect(first.map(\.messageID) == [id])
            #expect(first.first?.body == "body ü")
            #expect(try await sqs.receiveMessages(queueURL: queueURL, waitSeconds: 0).isEmpty)
            let handle = try #require(first.first?.receiptHandle)
            try await sqs.changeMessageVisibility(queueURL: queueURL, receiptHandle: handle, seconds: 0)
            let again = try await sqs.receiveMessages(queueURL: queueURL, waitSeconds: 0)
            #expect(again.map(\.messageID) == [id])
            #expect(again.first?.receiveCount == 2)
            try await sqs.deleteMessage(queueURL: queueURL, receiptHandle: try #require(again.first?.receiptHandle))
            #expect(try await sqs.receiveMessages(queueURL: queueURL, waitSeconds: 0, visibilityTimeout: 0).isEmpty)
        }
    }
}
