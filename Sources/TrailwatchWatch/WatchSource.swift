/// One unit of input that the watcher evaluates exactly once: a whole delivery file, an S3 object, or the new
/// complete lines of a growing JSON Lines file.
public struct WatchItem: Sendable, Hashable {
    /// Where the bytes are.
    public enum Content: Sendable, Hashable {
        /// A whole file on disk (`.json`, `.json.gz`, …).
        case file(path: String)
        /// A byte range `[start, end)` of a file that grows (JSON Lines): `end` is just past a newline.
        case fileRange(path: String, start: Int64, end: Int64)
        /// Bytes already fetched (an S3 object, gzip'd or not).
        case bytes([UInt8])
    }

    /// The item's identity in the checkpoint, stable across restarts: `file:<path relative to the watched root>`,
    /// `range:<relative path>@<start>-<end>` for a piece of a growing file, `s3://bucket/key` for an object.
    public var key: String
    /// What errors, logs and alert origins call it (a path, `s3://bucket/key`).
    public var name: String
    public var content: Content
    /// When the source first saw it (milliseconds since the epoch), for the lag metric.
    public var discoveredAtMillis: Int64
    /// For a range of a growing file: the offset the checkpoint records for the file in the same transaction as
    /// the item (the end of the range), so that the source resumes there after a restart. Nil otherwise.
    public var growing: GrowingOffset?

    public init(
        key: String, name: String, content: Content, discoveredAtMillis: Int64, growing: GrowingOffset? = nil
    ) {
        self.key = key
        self.name = name
        self.content = content
        self.discoveredAtMillis = discoveredAtMillis
        self.growing = growing
    }
}

/// Where new items come from: a directory tree (inotify or polling) or an S3 bucket through SQS notifications.
///
/// The watcher asks for items, evaluates each one, commits it to the checkpoint, and calls ``acknowledge(_:)``
/// once every alert of the item has been delivered to every sink (or dead-lettered): that is when an SQS source
/// deletes the message. A source may yield an item the checkpoint already has (a redelivered SQS message, a file
/// seen again by a rescan): the watcher skips its evaluation and acknowledges it as soon as its alerts are out.
public protocol WatchSource: Sendable {
    /// A short description for logs and the start banner ("directory /data/AWSLogs (inotify)").
    var description: String { get }

    /// New items, in the order the source finds them, until the task is cancelled or the source fails for good
    /// (a transient failure is retried inside the source and logged; the stream only throws for good reasons,
    /// such as a watched directory that was removed or credentials that were refused).
    ///
    /// - Parameter isDone: answers whether the checkpoint already holds an item key, so that a source can skip
    ///   what was finished before a restart without fetching it (a directory source stats nothing twice).
    func items(isDone: @escaping @Sendable (String) async -> Bool) -> AsyncThrowingStream<WatchItem, any Error>

    /// The item's alerts are delivered (or dead-lettered) everywhere: the source may forget it for good.
    func acknowledge(_ item: WatchItem) async throws

    /// The item a checkpoint key names, to evaluate it again when a restart rebuilds correlation state (see
    /// ``Watcher``): a directory source reads the file again, an S3 source fetches the object again. Nil when the
    /// source cannot (the file or object is gone). Has a default (nil).
    func replayItem(key: String, name: String) async -> WatchItem?
}

extension WatchSource {
    /// None.
    public func replayItem(key: String, name: String) async -> WatchItem? { nil }
}
