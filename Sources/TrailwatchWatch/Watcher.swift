import CoreMetrics
import Foundation
import Logging
import SigmaKit
import Synchronization
import TrailwatchKit

/// Continuous monitoring: takes items from a source, evaluates each one once, commits it with its alerts to the
/// checkpoint in one transaction, has the dispatcher deliver the alerts, and acknowledges each item to its
/// source once its alerts are out everywhere.
///
/// Correlations run in event time over the stream. After a restart their state is rebuilt by evaluating again
/// the items whose newest event is within (newest committed event time − longest correlation span − lateness);
/// their single-event alerts and correlation firings enter the outbox through the same `INSERT OR IGNORE` on the
/// stable alert id, so nothing is delivered twice.
public final class Watcher: Sendable {
    /// How the watcher runs.
    public struct Options: Sendable {
        /// The source finishes by itself (`--once`): at its end, flush correlations and wait for delivery.
        public var once = false
        /// After a stop request, how long sinks may go on delivering before they are stopped.
        public var drainTimeout: Duration = .seconds(10)
        public init() {}
    }

    let source: any WatchSource
    let evaluator: ItemEvaluator
    let checkpoint: Checkpoint
    public let dispatcher: Dispatcher
    let options: Options
    let logger: Logger
    let metrics: WatchMetrics
    private let state: Mutex<WatchStatus>
    /// Items evaluated (or found done) whose alerts are not yet out everywhere, with the outbox seq to reach.
    private let unacknowledged = Mutex<[(item: WatchItem, seq: Int64)]>([])
    private let stopRequest = StopRequest()

    public init(
        source: any WatchSource, evaluator: ItemEvaluator, checkpoint: Checkpoint, sinks: [any AlertSink],
        options: Options = Options(), logger: Logger, metrics: WatchMetrics = WatchMetrics()
    ) {
        self.source = source
        self.evaluator = evaluator
        self.checkpoint = checkpoint
        self.options = options
        self.logger = logger
        self.metrics = metrics
        dispatcher = Dispatcher(sinks: sinks, checkpoint: checkpoint, logger: logger, metrics: metrics)
        state = Mutex(WatchStatus())
    }

    /// A snapshot for a health endpoint.
    public var status: WatchStatus {
        var snapshot = state.withLock { $0 }
        let last = snapshot.lastSeq
        snapshot.pending = dispatcher.cursors.mapValues { max(0, last - $0) }
        return snapshot
    }

    /// Asks a running ``run()`` to stop: no new item is taken, the current one is finished and committed, sinks
    /// get ``Options/drainTimeout`` to deliver, then `run()` returns. Safe from a signal handler's queue.
    public func stop() { stopRequest.fire() }

    /// Runs until the source ends (`--once`), fails, or ``stop()`` is called.
    /// - Throws: ``WatchError`` when the source fails for good or a sink cannot start.
    public func run() async throws {
        try await dispatcher.start()
        let initial = try await checkpoint.lastSeq()
        state.withLock { $0.lastSeq = initial }
        let acknowledger = Task { await acknowledgeLoop() }
        defer { acknowledger.cancel() }
        var failure: (any Error)?
        do {
            try await replayCorrelationWindow()
            let evaluation = Task { try await evaluateItems() }
            stopRequest.onFire { evaluation.cancel() }
            try await evaluation.value
            if options.once && !stopRequest.isFired, let correlator = evaluator.correlator {
                try await commitFlushed(correlator.finish())
            }
        } catch is CancellationError {
        } catch {
            failure = error
            state.withLock {
                $0.healthy = false
                $0.problem = "\(error)"
            }
        }
        let target = try await checkpoint.lastSeq()
        let timeout: Duration? = options.once && !stopRequest.isFired ? nil : options.drainTimeout
        if !(await dispatcher.waitUntilDelivered(target, timeout: timeout)) {
            logger.warning("stopping before every alert was delivered: the rest goes out after a restart")
        }
        await dispatcher.stop()
        // The loop finishes the acknowledgements it started (an SQS delete cut short would bring the message back).
        acknowledger.cancel()
        if !(await waitForEnd(of: acknowledger, upTo: options.drainTimeout)) {
            logger.warning("stopping before every acknowledgement was made: those items come back after a restart")
        }
        await acknowledgeDelivered()
        if let failure { throw failure }
    }

    // MARK: Evaluation

    private func evaluateItems() async throws {
        let checkpoint = self.checkpoint
        for try await item in source.items(isDone: { key in (try? await checkpoint.isDone(key)) ?? false }) {
            if stopRequest.isFired { break }
            if try await checkpoint.isDone(item.key) {
                remember(item, seq: try await checkpoint.lastSeq())
                continue
            }
            try await evaluateAndCommit(item)
        }
    }

    /// Evaluates one item and commits it with its alerts; an unreadable item is committed with its error (it is
    /// not retried: the log and the checkpoint say why).
    func evaluateAndCommit(_ item: WatchItem, replay: Bool = false) async throws {
        let started = ContinuousClock.now
        metrics.lag.record(Double(nowMillis() - item.discoveredAtMillis) / 1000)
        var record: ItemRecord
        var alerts: [OutboxAlert] = []
        var events = 0
        do {
            let evaluation = try evaluator.evaluate(item)
            record = evaluation.record
            alerts = evaluation.alerts.map(OutboxAlert.init(alert:))
            events = evaluation.counts.records
            if let error = record.error {
                logger.warning("item read in part", metadata: ["item": "\(item.name)", "error": "\(error)"])
            }
        } catch {
            metrics.errors.increment()
            logger.error("cannot read item", metadata: ["item": "\(item.name)", "error": "\(error)"])
            record = ItemRecord(key: item.key, name: item.name, events: 0, alerts: 0, error: error.message)
        }
        // Committed even when a stop was requested meanwhile: the item is finished, not thrown away.
        let growing = item.growing
        let seq = try await Task { [checkpoint, record, alerts] in
            try await checkpoint.commit(record, alerts: alerts, growing: growing)
        }.value
        metrics.items.increment()
        metrics.events.increment(by: events)
        metrics.alerts.increment(by: alerts.count)
        metrics.itemDuration.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        state.withLock {
            if replay {
                $0.replayedItems += 1
            } else {
                $0.items += 1
            }
            if record.error != nil && !replay { $0.failedItems += 1 }
            $0.events += events
            $0.alerts += alerts.count
            $0.lastItem = item.name
            $0.lastItemAt = Date()
            $0.lastSeq = max($0.lastSeq, seq)
        }
        logger.debug(
            replay ? "item evaluated again (correlation replay)" : "item evaluated",
            metadata: ["item": "\(item.name)", "events": "\(events)", "alerts": "\(alerts.count)"])
        if !replay { remember(item, seq: seq) }
    }

    /// Correlation firings released at the end (`--once`), committed as one pseudo-item.
    private func commitFlushed(_ alerts: [Alert]) async throws {
        guard !alerts.isEmpty else { return }
        let record = ItemRecord(
            key: "correlation:flush", name: "correlations at the end of input", events: 0,
            alerts: alerts.count)
        let seq = try await checkpoint.commit(record, alerts: alerts.map(OutboxAlert.init(alert:)))
        state.withLock {
            $0.alerts += alerts.count
            $0.lastSeq = max($0.lastSeq, seq)
        }
    }

    /// Rebuilds correlation state after a restart (see the type's documentation).
    private func replayCorrelationWindow() async throws {
        guard let correlator = evaluator.correlator, let newest = try await checkpoint.newestEventMillis() else {
            return
        }
        let span = correlator.longestSpanMillis + correlator.scanCorrelator.options.maxLatenessMillis
        let bound = newest.subtractingReportingOverflow(span)
        let keys = try await checkpoint.items(endingAtOrAfter: bound.overflow ? .min : bound.partialValue)
        var replayed = 0
        for (key, name) in keys {
            try Task.checkCancellation()
            guard let item = await source.replayItem(key: key, name: name) else { continue }
            try await evaluateAndCommit(item, replay: true)
            replayed += 1
        }
        if replayed > 0 {
            logger.info("correlation state rebuilt", metadata: ["items": "\(replayed)", "of": "\(keys.count)"])
        }
    }

    // MARK: Acknowledgement

    private func remember(_ item: WatchItem, seq: Int64) {
        unacknowledged.withLock { $0.append((item, seq)) }
    }

    private func acknowledgeLoop() async {
        while !Task.isCancelled {
            await acknowledgeDelivered()
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    private func acknowledgeDelivered() async {
        let everywhere = dispatcher.deliveredEverywhere
        let ready = unacknowledged.withLock { list in
            let ready = list.filter { $0.seq <= everywhere }
            list.removeAll { $0.seq <= everywhere }
            return ready
        }
        let source = self.source
        for (item, _) in ready {
            do {
                // Not cancelled with the loop: the item has left the list, an interrupted acknowledgement is lost.
                try await Task { try await source.acknowledge(item) }.value
            } catch {
                logger.error("cannot acknowledge item", metadata: ["item": "\(item.name)", "error": "\(error)"])
            }
        }
    }
}

extension OutboxAlert {
    /// The alert's `--output` line: `alert_id` first, then the fields of `scan --format jsonl`.
    public init(alert: Alert) {
        let id = alert.stableID
        var members: [(String, JSONRecord)] = [("alert_id", .string(id))]
        if case .object(let fields) = alert.jsonRecord { members += fields }
        self.init(id: id, json: JSONRecord.object(members).rendered())
    }
}

/// A one-shot stop request with callbacks (a signal handler fires it; the watcher reacts).
final class StopRequest: Sendable {
    private let state = Mutex<(fired: Bool, callbacks: [@Sendable () -> Void])>((false, []))

    var isFired: Bool { state.withLock { $0.fired } }

    func fire() {
        let callbacks = state.withLock { state -> [@Sendable () -> Void] in
            if state.fired { return [] }
            state.fired = true
            defer { state.callbacks.removeAll() }
            return state.callbacks
        }
        for callback in callbacks { callback() }
    }

    /// Runs `callback` when fired (at once if already fired).
    func onFire(_ callback: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            if state.fired { return true }
            state.callbacks.append(callback)
            return false
        }
        if now { callback() }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
