import Foundation

/// A snapshot of the watcher for a health endpoint or a final report.
public struct WatchStatus: Sendable, Hashable {
    /// When the watcher started.
    public var startedAt: Date
    /// Items evaluated and committed by this process.
    public var items = 0
    /// Items evaluated again at start to rebuild correlation state (not counted in `items`).
    public var replayedItems = 0
    /// Items that could not be read (recorded with their error).
    public var failedItems = 0
    public var events = 0
    /// Alerts the evaluations raised (before deduplication by id).
    public var alerts = 0
    /// The last item evaluated, and when.
    public var lastItem: String?
    public var lastItemAt: Date?
    /// The outbox's last sequence number known to this process.
    public var lastSeq: Int64 = 0
    /// Per sink: outbox rows not yet delivered.
    public var pending: [String: Int64] = [:]
    /// False once the source failed for good.
    public var healthy = true
    /// Why the watcher is unhealthy.
    public var problem: String?

    public init(startedAt: Date = Date()) { self.startedAt = startedAt }
}
