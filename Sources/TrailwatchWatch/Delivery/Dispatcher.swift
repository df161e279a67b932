import CoreMetrics
import Foundation
import Logging
import Synchronization

/// Drives every sink through the outbox, each with its own loop and cursor: a sink that is slow or failing
/// delays only its own deliveries, never evaluation nor the other sinks.
public final class Dispatcher: Sendable {
    let sinks: [any AlertSink]
    let checkpoint: Checkpoint
    let logger: Logger
    let metrics: WatchMetrics
    /// Per sink: the last sequence number delivered and committed.
    private let delivered = Mutex<[String: Int64]>([:])
    private let tasks = Mutex<[Task<Void, Never>]>([])
    /// Sink loops that have ended.
    private let ended = Mutex(0)
    /// Rows read from the outbox at a time.
    let batchSize: Int
    /// How long an idle sink waits before looking at the outbox again.
    let idleWait: Duration
    /// How long a sink waits after a batch failed as a whole (e.g. its file cannot be written).
    let failureWait: Duration

    public init(
        sinks: [any AlertSink], checkpoint: Checkpoint, logger: Logger, metrics: WatchMetrics = WatchMetrics(),
        batchSize: Int = 100, idleWait: Duration = .milliseconds(50), failureWait: Duration = .seconds(2)
    ) {
        self.sinks = sinks
        self.checkpoint = checkpoint
        self.logger = logger
        self.metrics = metrics
        self.batchSize = batchSize
        self.idleWait = idleWait
        self.failureWait = failureWait
    }

    /// Reads each sink's cursor, prepares the sink, and starts its loop.
    /// - Throws: ``WatchError`` when a sink cannot start (its file cannot be opened…).
    public func start() async throws {
        for sink in sinks {
            let cursor = try await checkpoint.sinkCursor(sink.name)
            do {
                try await sink.prepare(cursor: cursor)
            } catch {
                throw WatchError("cannot start the sink \(sink.name): \(error)")
            }
            delivered.withLock { $0[sink.name] = cursor.deliveredSeq }
            let task = Task { await self.loop(sink, from: cursor.deliveredSeq) }
            tasks.withLock { $0.append(task) }
        }
    }

    /// The lowest sequence number every sink has delivered (everything at or below it is out everywhere).
    public var deliveredEverywhere: Int64 {
        delivered.withLock { $0.values.min() ?? .max }
    }

    /// Per sink, the last sequence number delivered.
    public var cursors: [String: Int64] { delivered.withLock { $0 } }

    /// Waits until every sink delivered up to `seq`, or `timeout` passed (nil: no limit). True when delivered.
    public func waitUntilDelivered(_ seq: Int64, timeout: Duration?) async -> Bool {
        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now + $0 }
        while deliveredEverywhere < seq {
            if let deadline, clock.now >= deadline { return false }
            do { try await Task.sleep(for: idleWait) } catch { return deliveredEverywhere >= seq }
        }
        return true
    }

    /// Stops every sink loop (a delivery under way is cancelled and will be made again after a restart) and
    /// closes the sinks. A loop stuck in a call that ignores cancellation is left behind after `grace`.
    public func stop(grace: Duration = .seconds(3)) async {
        let running = tasks.withLock { tasks in
            defer { tasks.removeAll() }
            return tasks
        }
        for task in running { task.cancel() }
        let deadline = ContinuousClock.now + grace
        while ended.withLock({ $0 }) < running.count && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if ended.withLock({ $0 }) < running.count {
            logger.warning("an output did not stop in time: left behind")
        }
        for sink in sinks { await sink.close() }
    }

    private func loop(_ sink: any AlertSink, from start: Int64) async {
        defer { ended.withLock { $0 += 1 } }
        var cursor = start
        let pending = metrics.outboxPending(sink: sink.name)
        while !Task.isCancelled {
            do {
                let rows = try await checkpoint.outbox(after: cursor, limit: batchSize)
                if rows.isEmpty {
                    pending.record(0)
                    try await Task.sleep(for: idleWait)
                    continue
                }
                pending.record(Double(try await checkpoint.lastSeq() - cursor))
                let progress = try await sink.deliver(rows)
                let seq = progress.delivered > 0 ? rows[progress.delivered - 1].seq : cursor
                // The cursor and the file offset are committed even if this task was just cancelled: what was
                // written must be recorded, or a file sink would cut it away and write it again.
                try await Task { try await checkpoint.advanceSink(sink.name, to: seq, fileOffset: progress.fileOffset) }
                    .value
                cursor = seq
                delivered.withLock { $0[sink.name] = seq }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                metrics.deliveryFailures(sink: sink.name).increment()
                logger.error("delivery failed: will try again", metadata: ["sink": "\(sink.name)", "error": "\(error)"])
                try? await Task.sleep(for: failureWait)
            }
        }
    }
}
