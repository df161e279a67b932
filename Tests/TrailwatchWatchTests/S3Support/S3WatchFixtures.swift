import MotoTestSupport
import AWSClient
import Foundation
import Logging
import Synchronization
import Testing
import TrailwatchKit

@testable import TrailwatchWatch

/// The S3 + SQS watch tests' world: the example delivery files, clients of the moto server, a watcher over an
/// ``S3QueueSource`` writing JSON Lines. Named apart from the directory tests' helpers (another file).
enum S3WatchFixtures {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples/cloudtrail").path

    /// The example files' paths relative to ``examples`` (gzip'd CloudTrail deliveries), sorted.
    static func exampleKeys() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: examples)
        var keys: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasSuffix(".json.gz") { keys.append(relative) }
        }
        return keys.sorted()
    }

    static let testCredentials = AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "test")

    static func configuration(
        _ server: MotoServer, credentials: AWSCredentials = testCredentials
    ) -> AWSClientConfiguration {
        AWSClientConfiguration(
            credentials: credentials, region: "us-east-1", endpointURL: server.endpoint, requestTimeout: .seconds(30))
    }

    /// Runs `body` with S3 and SQS clients, shut down afterwards whatever happens.
    static func withClients<T: Sendable>(
        _ server: MotoServer, _ body: (S3Client, SQSClient) async throws -> T
    ) async throws -> T {
        let http = AWSHTTPClient(configuration: configuration(server))
        do {
            let result = try await body(S3Client(http: http), SQSClient(http: http))
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    static func uniqueName(_ base: String) -> String { "\(base)-\(UUID().uuidString.prefix(8).lowercased())" }

    /// An S3 event notification (S3 → SQS) announcing `keys`.
    static func s3Event(bucket: String, keys: [String]) -> String {
        let records = keys.map { key in
            """
            {"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectCreated:Put",\
            "s3":{"bucket":{"name":"\(bucket)"},"object":{"key":"\(key)","size":1}}}
            """
        }
        return #"{"Records":["# + records.joined(separator: ",") + "]}"
    }

    /// Feed options for tests: short long polls, quick retries.
    static func feedOptions(queueURL: String, visibilityTimeout: Int) -> S3NotificationFeed.Options {
        S3NotificationFeed.Options(
            queueURL: queueURL, waitSeconds: 1, visibilityTimeout: visibilityTimeout,
            retry: RetryPolicy(maxAttempts: 2, initialDelay: .milliseconds(50), maxDelay: .milliseconds(200)))
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tw-s3-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Alert ids in a JSON Lines output, in order, repeats kept.
    static func outputIDs(_ path: String) -> [String] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["alert_id"] as? String ?? "<no alert_id>"
        }
    }
}

/// A watcher over an S3 source with a JSON Lines output, running in the background.
final class S3WatchRun: Sendable {
    let output: String
    let watcher: Watcher
    let log: LogRecorder
    private let task: Task<Void, any Error>

    /// - Parameter visibilityTimeout: seconds a received message stays hidden; longer than the run, a message
    ///   left undeleted is still there afterwards instead of being redelivered (and deleted) meanwhile.
    init(
        server: MotoServer, bucket: String, prefix: String, queueURL: String, visibilityTimeout: Int = 2,
        credentials: AWSCredentials = S3WatchFixtures.testCredentials, folder: String? = nil
    ) throws {
        // A given folder keeps the checkpoint and the output of an earlier run: a restart.
        let folder = try folder ?? S3WatchFixtures.temporaryDirectory()
        output = folder + "/alerts.jsonl"
        let log = LogRecorder()
        self.log = log
        let logger = Logger(label: "trailwatch.watch.s3") { _ in log }
        let source = S3QueueSource(
            location: S3Location(bucket: bucket, prefix: prefix),
            configuration: S3WatchFixtures.configuration(server, credentials: credentials),
            feedOptions: S3WatchFixtures.feedOptions(queueURL: queueURL, visibilityTimeout: visibilityTimeout),
            logger: logger)
        var options = Watcher.Options()
        options.drainTimeout = .seconds(5)
        let watcher = Watcher(
            source: source, evaluator: try ItemEvaluator(request: ScanRequest(paths: [])),
            checkpoint: try Checkpoint(path: folder + "/checkpoint.sqlite"),
            sinks: [JSONLinesFileSink(path: output)], options: options, logger: logger)
        self.watcher = watcher
        task = Task { try await watcher.run() }
    }

    var outputIDs: [String] { S3WatchFixtures.outputIDs(output) }

    /// Stops the watcher (its delivered items are acknowledged on the way out) and rethrows its failure; bounded.
    func finish(stop: Bool = true) async throws {
        if stop { watcher.stop() }
        let task = self.task
        try await withTimeout(30) { try await task.value }
    }
}

/// Keeps every log message (level and text) for the tests to look at.
final class LogRecorder: LogHandler, Sendable {
    private let lines = Mutex<[String]>([])
    var messages: [String] { lines.withLock { $0 } }

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let details = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        lines.withLock { $0.append("\(event.level) \(event.message)\(details)") }
    }
}
