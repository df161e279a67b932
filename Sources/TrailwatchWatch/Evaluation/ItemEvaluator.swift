import CloudTrail
import Foundation
import SigmaKit
import TrailwatchKit

/// Evaluates watch items with one compiled rule set: the same rules, filters, reader, matching and enrichment
/// as `scan` (``Scanner/loadRules(_:)``, ``Scanner/compile(_:includeFailed:)``, ``EventMatcher``).
public final class ItemEvaluator: Sendable {
    public let ruleSet: RuleSet
    /// Correlations in event time, nil when the rules have none.
    public let correlator: StreamCorrelator?
    let matcher: EventMatcher
    let inputOptions: InputOptions
    /// Events before this time (milliseconds) are counted and skipped (`--from`).
    public let from: Int64?

    /// Loads and compiles the rules `request` names (pack, `--rules`, `--filters`, ignore lists, `--include-failed`).
    /// - Throws: ``WatchError`` with the loader's message when no rule can run.
    /// `request.correlation` sets the lateness bound and memory caps of correlations.
    public init(request: ScanRequest, from: Int64? = nil) throws(WatchError) {
        let loaded: RuleCollection
        do {
            loaded = try Scanner.loadRules(request)
        } catch {
            throw WatchError(error.message)
        }
        let compiled = Scanner.compile(loaded, includeFailed: request.includeFailed)
        if compiled.rules.isEmpty {
            let reasons = (loaded.diagnostics + compiled.diagnostics).filter { $0.severity == .error }.prefix(5)
                .map { "\n  \($0)" }.joined()
            throw WatchError(
                "no rule to run: \(loaded.rules.count) loaded, \(compiled.setAside.count) set aside\(reasons)")
        }
        ruleSet = compiled
        let correlator = StreamCorrelator(
            collection: loaded, ruleSet: compiled, options: request.correlation, includeRawEvent: request.includeEvent)
        self.correlator = correlator.isEmpty ? nil : correlator
        matcher = EventMatcher(
            ruleSet: compiled, includeRawEvent: request.includeEvent, correlator: self.correlator?.scanCorrelator)
        inputOptions = InputOptions(paths: [])
        self.from = from
    }

    /// Reads the item's bytes and evaluates every record; correlations observe the matches and the firings they
    /// release are returned with the item's alerts.
    /// - Throws: only when the item cannot be read at all (a file gone, unreadable): the caller logs it and
    ///   records it as failed. A format problem is reported in the evaluation, with the records read so far.
    public func evaluate(_ item: WatchItem) throws(WatchError) -> ItemEvaluation {
        let bytes = try Self.bytes(of: item)
        var state = EventMatcher.State()
        var counts = EvaluationCounts()
        var minTime: Int64?
        var maxTime: Int64?
        let report = RecordExtractor(options: inputOptions).read(bytes, path: item.name) { event in
            if let from, let time = event.eventTimeMilliseconds, time < from {
                counts.beforeFrom += 1
                return
            }
            if let time = event.eventTimeMilliseconds {
                minTime = min(minTime ?? time, time)
                maxTime = max(maxTime ?? time, time)
            }
            let before = state.eventsMatched
            matcher.visit(&state, event)
            if state.eventsMatched > before { counts.matched += 1 } else { counts.unmatched += 1 }
        }
        counts.records = report.counts.records
        counts.rejected = report.counts.rejected
        counts.issues = report.issues.map(\.description)
        let error = report.error.map(\.description)
        var alerts = state.alerts
        // Every event moves event time on, not only those that feed a correlation: without that a window stays
        // open until the next relevant event, however much other traffic arrives after it.
        if let correlator { alerts += correlator.take(state.correlation, newestEventMillis: maxTime) }
        let record = ItemRecord(
            key: item.key, name: item.name, events: counts.records, alerts: alerts.count, minEventMillis: minTime,
            maxEventMillis: maxTime, error: error)
        return ItemEvaluation(record: record, alerts: alerts, counts: counts)
    }

    /// The bytes of an item: a whole file, a range of one, or the bytes it carries.
    static func bytes(of item: WatchItem) throws(WatchError) -> [UInt8] {
        switch item.content {
        case .bytes(let bytes):
            return bytes
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw WatchError("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            return [UInt8](data)
        case .fileRange(let path, let start, let end):
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw WatchError("cannot open \(path): \(String(cString: strerror(errno)))")
            }
            defer { try? handle.close() }
            do {
                try handle.seek(toOffset: UInt64(start))
                let data = try handle.read(upToCount: Int(end - start)) ?? Data()
                guard data.count == Int(end - start) else {
                    throw WatchError("\(path) is shorter than expected (\(start + Int64(data.count)) < \(end) bytes)")
                }
                return [UInt8](data)
            } catch let error as WatchError {
                throw error
            } catch {
                throw WatchError("cannot read \(path) [\(start), \(end)): \(error)")
            }
        }
    }
}

/// What evaluating one item read and found.
public struct ItemEvaluation: Sendable {
    /// The row the checkpoint keeps.
    public var record: ItemRecord
    /// Alerts of single events, then of correlations that fired.
    public var alerts: [Alert]
    public var counts: EvaluationCounts
}

/// Counts of one evaluation: `records == matched + unmatched + beforeFrom`; `rejected` documents are not
/// records (they could not be read as events) and `issues` says why.
public struct EvaluationCounts: Sendable, Hashable {
    public var records = 0
    public var matched = 0
    public var unmatched = 0
    /// Skipped by `--from`.
    public var beforeFrom = 0
    public var rejected = 0
    /// The first problems met (position and reason).
    public var issues: [String] = []

    public init() {}
}
