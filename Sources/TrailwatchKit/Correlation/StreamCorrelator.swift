import SigmaKit
import Synchronization

/// Correlation over a stream of inputs (continuous monitoring): each input's observations go into one
/// incremental ``CorrelationEngine`` (event time, lateness bound), and the firings it releases become alerts.
///
/// Use an ``EventMatcher`` made with ``scanCorrelator`` so that matching also collects observations (and silences
/// `generate: false` rules), then hand each input's collector to ``take(_:)``.
public final class StreamCorrelator: Sendable {
    /// Collects observations while matching (pass it to ``EventMatcher``).
    public let scanCorrelator: ScanCorrelator
    private let state: Mutex<State>

    struct State: ~Copyable {
        var engine: CorrelationEngine
        /// Details of contributing events, by collector number, with the newest event time of each.
        var details: [Int64: (events: [CorrelatedEvent], newest: Int64)] = [:]
        /// Collector numbers in the order they came (pruning walks from the oldest), and the first one still kept.
        var order: [Int64] = []
        var orderHead = 0
        /// Events held in `details`.
        var detailEvents = 0
        var newest: Int64 = .min
    }

    /// At most this many contributing events' details are kept (the oldest inputs' go first), about 10 MB. Details
    /// only make a correlation alert more readable (account, region, identity, source of its last event; the raw
    /// events with `--include-event`); the firing, its event ids and so its alert id come from the engine, whose
    /// memory has its own bounds. Without a cap a run at 10,000 events/s kept every input of the last lateness +
    /// 2 × longest span of event time (hours with the pack's 1 h correlations): memory grew without end.
    public static let maxDetailEvents = 10_000

    public init(
        collection: RuleCollection, ruleSet: RuleSet, options: CorrelationOptions = .init(),
        includeRawEvent: Bool = false
    ) {
        scanCorrelator = ScanCorrelator(
            collection: collection, ruleSet: ruleSet, options: options, includeRawEvent: includeRawEvent)
        state = Mutex(State(engine: CorrelationEngine(plan: scanCorrelator.plan, options: options)))
    }

    /// Whether no correlation runs.
    public var isEmpty: Bool { scanCorrelator.plan.isEmpty }

    /// The longest span of event time that a firing can cover (the sum of every correlation's timespan, which
    /// bounds chains too), in milliseconds.
    public var longestSpanMillis: Int64 {
        scanCorrelator.plan.nodes.reduce(0) { $0 + Int64($1.correlation.timespan) * 1000 }
    }

    /// Counters so far (late observations are those older than what the lateness bound already released).
    public var statistics: CorrelationStatistics { state.withLock { $0.engine.statistics } }

    /// Adds one input's observations and returns the alerts of the firings released so far.
    /// - Parameter newestEventMillis: the newest event time of the whole input (matched or not): event time moves
    ///   on with all traffic, so that windows close without waiting for the next event a correlation counts.
    public func take(_ collector: CorrelationCollector, newestEventMillis: Int64? = nil) -> [Alert] {
        state.withLock { state in
            if collector.part >= 0 {
                let newest = collector.observations.reduce(Int64.min) { max($0, $1.time) }
                state.newest = max(state.newest, newest)
                if !collector.details.isEmpty {
                    if let previous = state.details.updateValue((collector.details, newest), forKey: collector.part) {
                        state.detailEvents -= previous.events.count
                    } else {
                        state.order.append(collector.part)
                    }
                    state.detailEvents += collector.details.count
                }
            }
            state.engine.add(contentsOf: collector.observations)
            // After this input's own observations, so that none of them is made late by its own newest event.
            if let newestEventMillis { state.engine.advance(to: newestEventMillis) }
            return alerts(&state)
        }
    }

    /// Evaluates everything still buffered (the end of a `--once` run) and returns the alerts.
    public func finish() -> [Alert] {
        state.withLock { state in
            state.engine.finish()
            return alerts(&state)
        }
    }

    private func alerts(_ state: inout State) -> [Alert] {
        let firings = state.engine.takeFirings().filter(\.producesAlert)
        var result: [Alert] = []
        if !firings.isEmpty {
            let details = state.details.mapValues(\.events)
            result = firings.map { scanCorrelator.makeAlert($0, details: details) }
        }
        // Details no window can use any more (older than the released time minus the longest span), and the
        // oldest beyond the cap: walked from the oldest input, so each input is looked at about once.
        let keep = scanCorrelator.options.maxLatenessMillis + 2 * longestSpanMillis
        let (bound, overflow) = state.newest.subtractingReportingOverflow(keep)
        while state.orderHead < state.order.count {
            let part = state.order[state.orderHead]
            guard let entry = state.details[part] else {
                state.orderHead += 1
                continue
            }
            guard (!overflow && entry.newest < bound) || state.detailEvents > Self.maxDetailEvents else { break }
            state.details[part] = nil
            state.detailEvents -= entry.events.count
            state.orderHead += 1
        }
        if state.orderHead > 1024 && state.orderHead * 2 > state.order.count {
            state.order.removeFirst(state.orderHead)
            state.orderHead = 0
        }
        return result
    }

    /// Contributing events whose details are held (for tests and the memory figures).
    public var heldDetailEvents: Int { state.withLock { $0.detailEvents } }
}
