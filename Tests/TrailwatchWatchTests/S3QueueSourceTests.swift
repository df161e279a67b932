import MotoTestSupport
import AWSClient
import Foundation
import Testing
import TrailwatchKit

@testable import TrailwatchWatch

/// The S3 + SQS source against a local AWS API (moto): notifications, fetching gzip'd objects, alerts as `scan`
/// finds them, message deletion after delivery, a missing object, bad credentials.
@Suite(.enabled(if: MotoServer.isInstalled, MotoServer.notInstalledReason), .motoServer)
struct S3QueueSourceTests {
    @Test func queuedObjectsGiveTheAlertsOfScanAndTheirMessagesAreDeletedAfterDelivery() async throws {
        let server = try #require(MotoServer.current)
        let bucket = S3WatchFixtures.uniqueName("trail")
        let keys = S3WatchFixtures.exampleKeys()
        try #require(keys.count > 4)
        let missingKey = "AWSLogs/123456789012/CloudTrail/eu-west-1/2024/05/16/missing_CloudTrail.json.gz"
        let queueURL = try await S3WatchFixtures.withClients(server) { s3, sqs in
            try await s3.createBucket(bucket)
            for key in keys {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: S3WatchFixtures.examples + "/" + key))
                try await s3.putObject(bucket: bucket, key: key, bytes: Array(bytes))
            }
            let queueURL = try await sqs.createQueue(name: S3WatchFixtures.uniqueName("events"))
            // Messages of three objects, a missing object in the middle, and one object announced twice.
            var batches = stride(from: 0, to: keys.count, by: 3).map { Array(keys[$0..<min($0 + 3, keys.count)]) }
            batches.insert([missingKey], at: 2)
            batches.append([keys[0]])
            for batch in batches {
                _ = try await sqs.sendMessage(
                    queueURL: queueURL, body: S3WatchFixtures.s3Event(bucket: bucket, keys: batch))
            }
            return queueURL
        }
        let scan = try await Scanner.run(ScanRequest(paths: [S3WatchFixtures.examples])).alerts
        let singleEventIDs = Set(scan.filter { $0.correlation == nil }.map(\.stableID))
        let allScanIDs = Set(scan.map(\.stableID))
        try #require(!singleEventIDs.isEmpty)

        let run = try S3WatchRun(
            server: server, bucket: bucket, prefix: "AWSLogs/", queueURL: queueURL, visibilityTimeout: 10)
        let complete = await pollUntil(timeout: 90) {
            run.watcher.status.items == keys.count && singleEventIDs.isSubset(of: Set(run.outputIDs))
        }
        #expect(complete, "items \(run.watcher.status.items) of \(keys.count)")
        // The second announcement of keys[0] is acknowledged without evaluation.
        let repeated = await pollUntil(timeout: 20) { run.log.messages.contains { $0.contains("already done") } }
        #expect(repeated)
        try await run.finish()

        let output = run.outputIDs
        #expect(output.count == Set(output).count, "an alert was delivered twice")
        #expect(singleEventIDs.isSubset(of: Set(output)))
        // Correlations: in a continuous run, a window fires once later events pass it; none is made up.
        #expect(Set(output).isSubset(of: allScanIDs))
        #expect(run.watcher.status.items == keys.count)
        #expect(run.watcher.status.healthy)
        let reported = run.log.messages.contains { $0.hasPrefix("warning") && $0.contains("\(missingKey) (message") }
        #expect(reported, "the missing object was not reported")

        // Every message was deleted by the run itself: nothing comes back after the visibility timeout.
        let remaining = try await S3WatchFixtures.withClients(server) { _, sqs in
            try await Task.sleep(for: .seconds(11))
            return try await sqs.receiveMessages(queueURL: queueURL, max: 10, waitSeconds: 1)
        }
        let notable = run.log.messages.filter { !$0.hasPrefix("debug") && !$0.hasPrefix("trace") }
        #expect(remaining.isEmpty, "\(remaining.count) messages left; log: \(notable.joined(separator: " | "))")
    }

    /// The pack's burst correlation (ten security-group changes by one identity within 10 minutes) spans a
    /// restart: six changes in an object evaluated before it, four after. The restarted watcher fetches the first
    /// object again to rebuild the window; without that the second run sees four changes and nothing fires.
    @Test func aRestartRebuildsCorrelationStateByFetchingObjectsAgain() async throws {
        let server = try #require(MotoServer.current)
        let bucket = S3WatchFixtures.uniqueName("trail")
        func change(_ minute: Int) -> String {
            """
            {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice",\
            "accountId":"123456789012"},"eventTime":"2024-05-15T09:0\(minute):00Z","eventSource":"ec2.amazonaws.com",\
            "eventName":"AuthorizeSecurityGroupIngress","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.23",\
            "requestParameters":{"groupId":"sg-0a1b2c3d4e5f60718"},"responseElements":{"_return":true},\
            "eventID":"restart-\(minute)","eventType":"AwsApiCall","recipientAccountId":"123456789012"}
            """
        }
        // An ordinary call an hour later: event time moves past the lateness bound and the window is released.
        let later = """
            {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/bob",\
            "accountId":"123456789012"},"eventTime":"2024-05-15T10:30:00Z","eventSource":"ec2.amazonaws.com",\
            "eventName":"DescribeInstances","awsRegion":"eu-west-1","eventID":"restart-later",\
            "eventType":"AwsApiCall","recipientAccountId":"123456789012"}
            """
        let folderKey = "AWSLogs/123456789012/CloudTrail/eu-west-1/2024/05/15/"
        let objects = [
            (folderKey + "first.json", (0..<6).map(change)), (folderKey + "second.json", (6..<10).map(change)),
            (folderKey + "third.json", [later]),
        ]
        let queueURL = try await S3WatchFixtures.withClients(server) { s3, sqs in
            try await s3.createBucket(bucket)
            for (key, records) in objects {
                let text = "{\"Records\":[" + records.joined(separator: ",") + "]}"
                try await s3.putObject(bucket: bucket, key: key, bytes: Array(text.utf8))
            }
            let queueURL = try await sqs.createQueue(name: S3WatchFixtures.uniqueName("events"))
            _ = try await sqs.sendMessage(
                queueURL: queueURL, body: S3WatchFixtures.s3Event(bucket: bucket, keys: [objects[0].0]))
            return queueURL
        }
        let burst = "\"ruleId\":\"755245d2-2e62-4020-9396-e62dff389cab\""
        let folder = try S3WatchFixtures.temporaryDirectory()
        func output() -> String { (try? String(contentsOfFile: folder + "/alerts.jsonl", encoding: .utf8)) ?? "" }

        let first = try S3WatchRun(server: server, bucket: bucket, prefix: "AWSLogs/", queueURL: queueURL,
                                   folder: folder)
        let evaluated = await pollUntil(timeout: 60) {
            first.watcher.status.items == 1 && output().contains("restart-5")
        }
        #expect(evaluated)
        try await first.finish()
        #expect(!output().contains(burst), "six changes are not a burst")

        _ = try await S3WatchFixtures.withClients(server) { _, sqs in
            try await sqs.sendMessage(
                queueURL: queueURL, body: S3WatchFixtures.s3Event(bucket: bucket, keys: [objects[1].0, objects[2].0]))
        }
        let second = try S3WatchRun(server: server, bucket: bucket, prefix: "AWSLogs/", queueURL: queueURL,
                                    folder: folder)
        let fired = await pollUntil(timeout: 60) { output().contains(burst) }
        try await second.finish()
        #expect(fired, "the burst across the restart did not fire; log: \(second.log.messages.suffix(8))")
        #expect(second.log.messages.contains { $0.contains("correlation state rebuilt") })
        let lines = output().split(separator: "\n")
        #expect(lines.count == Set(lines).count, "a line was delivered twice")
    }

    @Test func anObjectOutsideThePrefixIsSkippedAndItsMessageDeleted() async throws {
        let server = try #require(MotoServer.current)
        let bucket = S3WatchFixtures.uniqueName("trail")
        let key = try #require(S3WatchFixtures.exampleKeys().first)
        let queueURL = try await S3WatchFixtures.withClients(server) { s3, sqs in
            try await s3.createBucket(bucket)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: S3WatchFixtures.examples + "/" + key))
            try await s3.putObject(bucket: bucket, key: key, bytes: Array(bytes))
            let queueURL = try await sqs.createQueue(name: S3WatchFixtures.uniqueName("events"))
            let body = S3WatchFixtures.s3Event(bucket: bucket, keys: [key])
            _ = try await sqs.sendMessage(queueURL: queueURL, body: body)
            return queueURL
        }
        // The object is announced under a prefix the source does not watch: skipped, and its message deleted.
        let elsewhere = try S3WatchRun(server: server, bucket: bucket, prefix: "Other/", queueURL: queueURL)
        #expect(await pollUntil(timeout: 20) { elsewhere.log.messages.contains { $0.contains("outside") } })
        // The feed reports before it deletes: time for the delete (one local call) before stopping.
        try await Task.sleep(for: .seconds(2))
        try await elsewhere.finish()
        #expect(elsewhere.watcher.status.items == 0)
        #expect(elsewhere.outputIDs.isEmpty)
        let left = try await S3WatchFixtures.withClients(server) { _, sqs in
            try await Task.sleep(for: .seconds(3))
            return try await sqs.receiveMessages(queueURL: queueURL, max: 10, waitSeconds: 1)
        }
        #expect(left.isEmpty)
    }

    @Test func badCredentialsStopTheWatcherWithAClearError() async throws {
        // Authentication on from the first request: an access key moto's IAM never issued is refused.
        let server = try await MotoServer.start(environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "0"])
        defer { server.stop() }
        let run = try S3WatchRun(
            server: server, bucket: "trail", prefix: "", queueURL: server.endpoint + "/123456789012/events",
            credentials: .init(accessKeyID: "AKIDUNKNOWN0000", secretAccessKey: "wrong"))
        do {
            try await run.finish(stop: false)
            Issue.record("the watcher went on with refused credentials")
        } catch let error as WatchError {
            #expect(error.message.contains("the S3 source s3://trail/"))
            #expect(error.message.contains("credentials"), "\(error.message)")
        }
        #expect(!run.watcher.status.healthy)
        #expect(run.watcher.status.problem?.contains("credentials") == true)
    }
}

/// Waits for `condition` up to `timeout` seconds, checking every 50 ms.
func pollUntil(timeout: Double, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
