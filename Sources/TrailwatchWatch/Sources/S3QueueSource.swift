import AWSClient
import CoreMetrics
import Foundation
import Logging
import Synchronization

/// CloudTrail objects announced on an SQS queue (S3 event notifications, through SNS or EventBridge, or
/// CloudTrail's own SNS notification), fetched from S3: `trailwatch watch s3://bucket/prefix --queue URL`.
///
/// Each object becomes one item keyed `s3://bucket/key`. Its message is deleted only once every object it names
/// has been acknowledged, that is once the object's alerts are delivered everywhere: delivery is at least once,
/// and the checkpoint plus stable alert ids make a redelivered message harmless (it is acknowledged at once).
public final class S3QueueSource: WatchSource {
    /// The bucket and prefix watched.
    public let location: S3Location
    /// The SQS queue URL.
    public let queueURL: String
    let feed: S3NotificationFeed
    private let http: AWSHTTPClient
    private let logger: Logger
    private let lifecycle = Mutex(Lifecycle())

    /// Objects yielded and not yet acknowledged, by item key, without their bytes (the feed needs the message).
    private struct Lifecycle {
        var outstanding: [String: [FetchedObject]] = [:]
        /// Acknowledgements under way: their message deletes need the client.
        var acknowledging = 0
        var streamEnded = false
        var isShutDown = false
    }

    public var description: String { "S3 \(location) through the SQS queue \(queueURL)" }

    /// A source over its own HTTP client, which it shuts down when its stream has ended and every item it
    /// yielded is acknowledged (acknowledging needs the client), or at the latest when the source is released.
    /// - Parameter feedOptions: the feed's options; their `location` is set to `location`.
    public init(
        location: S3Location, configuration: AWSClientConfiguration, feedOptions: S3NotificationFeed.Options,
        logger: Logger = Logger(label: "trailwatch.watch.s3")
    ) {
        self.location = location
        queueURL = feedOptions.queueURL
        self.logger = logger
        let http = AWSHTTPClient(configuration: configuration)
        self.http = http
        var options = feedOptions
        options.location = location
        let issueCounters = FeedIssueCounters()
        feed = S3NotificationFeed(
            s3: S3Client(http: http), sqs: SQSClient(http: http), options: options,
            onIssue: { issue in
                issueCounters.count(issue)
                Self.log(issue, logger)
            })
    }

    deinit {
        let needed = lifecycle.withLock { state -> Bool in
            defer { state.isShutDown = true }
            return !state.isShutDown
        }
        if needed {
            // The task keeps the client alive until it is shut down (AsyncHTTPClient requires it before release).
            let http = self.http
            Task { try? await http.shutdown() }
        }
    }

    public func items(isDone: @escaping @Sendable (String) async -> Bool) -> AsyncThrowingStream<WatchItem, any Error> {
        // Pulled one at a time, so that a slow evaluation holds back the queue instead of buffering objects.
        let objects = IteratorBox(feed.objects().makeAsyncIterator())
        return AsyncThrowingStream(unfolding: { [self] in
            do {
                while let object = try await objects.next() {
                    let key = Self.itemKey(object.reference)
                    if await isDone(key) {
                        // A message delivered again after its object was finished (before the delete went through).
                        try await feed.acknowledge(object)
                        logger.debug("object already done, acknowledged", metadata: ["object": "\(key)"])
                        continue
                    }
                    var kept = object
                    kept.bytes = []
                    lifecycle.withLock { $0.outstanding[key, default: []].append(kept) }
                    return WatchItem(
                        key: key, name: key, content: .bytes(object.bytes),
                        discoveredAtMillis: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
                }
                await streamEnded()
                return nil
            } catch is CancellationError {
                await streamEnded()
                return nil
            } catch {
                await streamEnded()
                // A request cut short by the cancellation may surface as a transport error: still a stop.
                if Task.isCancelled { return nil }
                throw WatchError("the S3 source \(location) (queue \(queueURL)) failed: \(error)")
            }
        })
    }

    public func acknowledge(_ item: WatchItem) async throws {
        let objects = lifecycle.withLock { state in
            state.acknowledging += 1
            return state.outstanding.removeValue(forKey: item.key) ?? []
        }
        do {
            for object in objects {
                try await feed.acknowledge(object)
            }
        } catch {
            lifecycle.withLock { $0.acknowledging -= 1 }
            await shutDownIfFinished()
            throw error
        }
        lifecycle.withLock { $0.acknowledging -= 1 }
        await shutDownIfFinished()
    }

    /// Shuts the HTTP client down now (acknowledgements after this fail). Idempotent.
    public func shutdown() async {
        let needed = lifecycle.withLock { state -> Bool in
            defer { state.isShutDown = true }
            return !state.isShutDown
        }
        guard needed else { return }
        do {
            try await http.shutdown()
        } catch {
            logger.warning("cannot shut the AWS HTTP client down", metadata: ["error": "\(error)"])
        }
    }

    /// `s3://bucket/key`: the checkpoint key, item name and alert origin of an object.
    public static func itemKey(_ reference: S3ObjectReference) -> String { reference.description }

    /// Fetches an object finished before a restart again, so that correlation windows open across the restart
    /// are rebuilt (the alerts it raises again carry the ids already delivered, and are not delivered twice).
    public func replayItem(key: String, name: String) async -> WatchItem? {
        guard key.hasPrefix("s3://") else { return nil }
        let path = key.dropFirst("s3://".count)
        guard let slash = path.firstIndex(of: "/") else { return nil }
        let bucket = String(path[..<slash])
        let objectKey = String(path[path.index(after: slash)...])
        do {
            let object = try await S3Client(http: http).getObject(bucket: bucket, key: objectKey)
            return WatchItem(key: key, name: name, content: .bytes(object.bytes), discoveredAtMillis: nowMillis())
        } catch {
            logger.warning(
                "cannot fetch an object again to rebuild correlation state",
                metadata: ["object": "\(key)", "error": "\(error)"])
            return nil
        }
    }

    private func streamEnded() async {
        lifecycle.withLock { $0.streamEnded = true }
        await shutDownIfFinished()
    }

    private func shutDownIfFinished() async {
        let finished = lifecycle.withLock { $0.streamEnded && $0.outstanding.isEmpty && $0.acknowledging == 0 }
        if finished { await shutdown() }
    }

    /// Problems that need a look (lost objects, unreadable messages) are warnings; routine skips are debug.
    static func log(_ issue: FeedIssue, _ logger: Logger) {
        let metadata: Logger.Metadata = ["issue": "\(FeedIssueCounters.kind(of: issue))"]
        switch issue {
        case .objectMissing, .objectTooLarge, .messageUnreadable, .objectFailed, .deleteFailed, .retrying:
            logger.warning("\(issue)", metadata: metadata)
        case .objectSkipped, .messageIgnored:
            logger.debug("\(issue)", metadata: metadata)
        }
    }
}

/// `trailwatch_watch_s3_issues_total{kind}`: problems the S3 feed handled without stopping.
struct FeedIssueCounters: Sendable {
    static let label = "trailwatch_watch_s3_issues_total"

    func count(_ issue: FeedIssue) {
        Counter(label: Self.label, dimensions: [("kind", Self.kind(of: issue))]).increment()
    }

    static func kind(of issue: FeedIssue) -> String {
        switch issue {
        case .objectMissing: "object_missing"
        case .objectTooLarge: "object_too_large"
        case .objectSkipped: "object_skipped"
        case .objectFailed: "object_failed"
        case .messageIgnored: "message_ignored"
        case .messageUnreadable: "message_unreadable"
        case .deleteFailed: "delete_failed"
        case .retrying: "retrying"
        }
    }
}

/// The feed's iterator, held by the item stream's closure. Unchecked: the stream calls its closure from one
/// consuming task at a time, which is also what the feed requires of its own stream.
private final class IteratorBox: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<FetchedObject, any Error>.Iterator

    init(_ iterator: AsyncThrowingStream<FetchedObject, any Error>.Iterator) { self.iterator = iterator }

    func next() async throws -> FetchedObject? { try await iterator.next() }
}
