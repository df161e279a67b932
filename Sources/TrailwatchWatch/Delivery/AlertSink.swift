/// Where alerts go: standard output, a JSON Lines file, a webhook, the alert store of `serve`.
///
/// Each sink has a cursor in the checkpoint (the last outbox sequence number it delivered) and is driven by its
/// own loop in the ``Dispatcher``: a slow or failing sink delays only itself. Delivery is at least once from the
/// sink's point of view (a crash after delivering and before the cursor is committed delivers again), so every
/// alert carries its stable id for the receiver to deduplicate; the JSON Lines file sink is exactly once (the
/// file's length is committed with the cursor and the file is cut back to it on start).
public protocol AlertSink: Sendable {
    /// Names the sink's cursor in the checkpoint; stable across restarts (`stdout`, `file:/path`, `webhook:URL`).
    var name: String { get }

    /// Called once before the first delivery with the committed cursor (a file sink cuts its file back here).
    func prepare(cursor: SinkCursor) async throws

    /// Delivers rows, in order. Returns how many of them (a prefix) are delivered or dead-lettered, with the
    /// file offset to commit with the cursor (nil for sinks without a file). Throws when nothing could be done
    /// now (the dispatcher waits and tries again); a single alert that cannot be delivered after the sink's
    /// retries is dead-lettered and counts as delivered.
    func deliver(_ rows: [OutboxRow]) async throws -> DeliveryProgress

    /// Flushes and releases what the sink holds (the watcher is stopping).
    func close() async
}

/// What a call to ``AlertSink/deliver(_:)`` achieved.
public struct DeliveryProgress: Sendable, Hashable {
    /// Rows delivered (or dead-lettered), from the first.
    public var delivered: Int
    /// For a file sink: the file's length after them, committed with the cursor.
    public var fileOffset: Int64?

    public init(delivered: Int, fileOffset: Int64? = nil) {
        self.delivered = delivered
        self.fileOffset = fileOffset
    }
}

extension AlertSink {
    public func prepare(cursor: SinkCursor) async throws {}
    public func close() async {}
}
