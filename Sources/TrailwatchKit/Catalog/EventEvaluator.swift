import CloudTrail
import SigmaKit

/// Evaluates events held in memory (an HTTP request body, a test's bytes) against a compiled rule set: the same
/// formats as `scan` (CloudTrail records, `Records` files, JSON Lines, arrays, EventBridge events; plain or
/// gzip), the same matching and enrichment, without files, filters by time or deduplication.
public struct EventEvaluator: Sendable {
    /// What one evaluation read and found.
    public struct Evaluation: Sendable {
        /// Alerts, newest first, each with its raw event.
        public var alerts: [Alert]
        /// Records read.
        public var records: Int
        /// Documents that could not be read as records (counted in `issues`).
        public var rejected: Int
        /// Problems met, each with its position (the first few are kept in full).
        public var issues: [InputIssue]
        /// A problem that stopped the reading (not JSON, corrupt gzip…), nil when the input was read to its end.
        public var error: InputIssue?
    }

    public let ruleSet: RuleSet
    let matcher: EventMatcher
    let options: InputOptions

    /// - Parameters:
    ///   - ruleSet: compiled for CloudTrail (``Scanner/compile(_:includeFailed:)``).
    ///   - options: limits (document size, depth, gzip ratio); paths and filters are ignored.
    public init(ruleSet: RuleSet, options: InputOptions = InputOptions(paths: [])) {
        self.ruleSet = ruleSet
        self.matcher = EventMatcher(ruleSet: ruleSet, includeRawEvent: true)
        self.options = options
    }

    /// Reads every record of `bytes` and returns the alerts they raise.
    /// - Parameter source: names the input in issues and in each alert's `origin` (`<source>:<line>`).
    public func evaluate(_ bytes: [UInt8], source: String) -> Evaluation {
        var state = EventMatcher.State()
        let report = RecordExtractor(options: options).read(bytes, path: source) { event in
            matcher.visit(&state, event)
        }
        var alerts = state.alerts
        Scanner.sortNewestFirst(&alerts)
        return Evaluation(
            alerts: alerts, records: report.counts.records, rejected: report.counts.rejected, issues: report.issues,
            error: report.error)
    }
}
