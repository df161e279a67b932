import CloudTrail
import Foundation
import SigmaKit
import Synchronization

/// What the rules part of a scan loaded and ran.
public struct RuleSummary: Sendable {
    /// Rules compiled and run.
    public var running: Int = 0
    /// Rules loaded but set aside (logsource not CloudTrail), with the reason.
    public var setAside: [(title: String, reason: String)] = []
    /// Load and compile problems (rejected documents are errors; the rest still runs).
    public var diagnostics: [Diagnostic] = []
    public var filtersApplied: Int = 0
    public var correlations: Int = 0
    /// Titles of the documents left out by `--ignore-rule` / `--ignore-file`.
    public var ignored: [String] = []
}

/// The outcome of a scan: alerts (sorted), what was read, what ran.
public struct ScanResult: Sendable {
    /// Alerts, newest first (ties: event id, then rule title).
    public var alerts: [Alert]
    public var input: InputReport
    public var rules: RuleSummary
    /// Events that matched at least one rule.
    public var eventsMatched: Int
    /// Wall time of the read-and-match phase, in seconds.
    public var elapsedSeconds: Double
    /// What correlation did (alerts of correlations are in `alerts`).
    public var correlation = CorrelationReport()

    /// Exit status: 2 when some input could not be read, else 1 when `failOn` is set and an alert reaches it,
    /// else 0.
    public func exitStatus(failOn: Level?) -> Int32 {
        if !input.failedInputs.isEmpty || !input.pathErrors.isEmpty { return 2 }
        if let failOn, alerts.contains(where: { $0.effectiveLevel >= failOn }) { return 1 }
        return 0
    }
}

/// Runs a scan: loads rules, compiles them, reads every input in parallel and collects alerts.
public enum Scanner {
    /// The log source rules must target to run on CloudTrail events (LS-03).
    public static let cloudTrailLogSource = LogSource(product: "aws", service: "cloudtrail")
    /// Fields the rule index uses, in order of preference (53 of 57 SigmaHQ CloudTrail rules pin `eventName`).
    public static let indexFields = ["eventName", "eventSource"]

    /// Loads the rules a request asks for (pack + trees in one load, filter trees, minus ignored documents).
    public static func loadRules(_ request: ScanRequest) throws(ScanSetupError) -> RuleCollection {
        try loadSources(request).collection
    }

    static func loadSources(_ request: ScanRequest) throws(ScanSetupError) -> RuleSources.Loaded {
        try RuleSources.load(
            builtin: request.useBuiltinPack, ruleTrees: request.ruleTrees, filterTrees: request.filterTrees,
            ignore: request.ignore, options: LoaderOptions(placeholders: request.placeholders))
    }

    /// Compiles a loaded collection for CloudTrail events.
    public static func compile(_ collection: RuleCollection, includeFailed: Bool) -> RuleSet {
        RuleSet(
            rules: collection.rules, filters: collection.filters,
            options: RuleSetOptions(
                target: cloudTrailLogSource, indexFields: indexFields,
                disabledFilters: includeFailed ? [BuiltinPack.successfulCallsFilterID] : []))
    }

    public static func run(_ request: ScanRequest) async throws -> ScanResult {
        let sources = try loadSources(request)
        let collection = sources.collection
        let ruleSet = compile(collection, includeFailed: request.includeFailed)
        let correlator = ScanCorrelator(
            collection: collection, ruleSet: ruleSet, options: request.correlation,
            absentReasons: sources.absentReasons, includeRawEvent: request.includeEvent)
        var summary = RuleSummary()
        summary.running = ruleSet.rules.count
        summary.setAside = ruleSet.setAside.map { ($0.rule.title, $0.reason) }
        summary.diagnostics = collection.diagnostics + ruleSet.diagnostics
        summary.filtersApplied = ruleSet.rules.reduce(0) { $0 + $1.filters.count }
        summary.correlations = collection.correlations.count
        summary.ignored = sources.ignored
        if ruleSet.rules.isEmpty {
            let reasons = summary.diagnostics.filter { $0.severity == .error }.prefix(5).map { "\n  \($0)" }.joined()
            throw ScanSetupError(
                "no rule to run: \(collection.rules.count) loaded, \(ruleSet.setAside.count) set aside\(reasons)")
        }
        var inputOptions = InputOptions(paths: request.paths)
        if let from = request.from {
            guard let bound = InputOptions.parseTimeBound(from, isUpperBound: false) else {
                throw ScanSetupError("--from '\(from)' is not a date (YYYY-MM-DD) or an RFC 3339 instant")
            }
            inputOptions.from = bound
        }
        if let to = request.to {
            guard let bound = InputOptions.parseTimeBound(to, isUpperBound: true) else {
                throw ScanSetupError("--to '\(to)' is not a date (YYYY-MM-DD) or an RFC 3339 instant")
            }
            inputOptions.to = bound
        }
        inputOptions.accounts = Set(request.accounts)
        inputOptions.regions = Set(request.regions)
        if let workers = request.workers { inputOptions.workers = workers }
        let start = Date()
        let progress = request.showProgress ? ProgressReporter() : nil
        inputOptions.progress = progress?.input
        progress?.start()
        let matcher = EventMatcher(
            ruleSet: ruleSet, includeRawEvent: request.includeEvent, progress: progress, correlator: correlator)
        let states: [EventMatcher.State]
        let report: InputReport
        do {
            (states, report) = try await readRecords(
                options: inputOptions, makeState: { EventMatcher.State() },
                visit: { state, event in matcher.visit(&state, event) })
        } catch let issue as InputIssue {
            progress?.stop()
            throw ScanSetupError(issue.message)
        } catch {
            progress?.stop()
            throw ScanSetupError("\(error)")
        }
        progress?.stop()
        var alerts = states.flatMap(\.alerts)
        let correlated = correlator.finish(states.map(\.correlation), ruleSet: ruleSet)
        alerts += correlated.alerts
        sortNewestFirst(&alerts)
        return ScanResult(
            alerts: alerts, input: report, rules: summary, eventsMatched: states.reduce(0) { $0 + $1.eventsMatched },
            elapsedSeconds: Date().timeIntervalSince(start), correlation: correlated.report)
    }

    /// Newest first, like the seed detection's query (`ORDER BY event_time DESC`); events without a parsable
    /// time last; ties broken by event id and rule title so output is stable whatever the file order.
    public static func sortNewestFirst(_ alerts: inout [Alert]) {
        // Sort a permutation of indices (alerts are large values: moving them during the sort cost more than
        // comparing), then rearrange once.
        // The comparator reads fields in place: binding whole alerts to locals copied two alerts per comparison.
        let times = alerts.map { $0.eventTimeMillis ?? Int64.min }
        let order = alerts.indices.sorted { i, j in
            if times[i] != times[j] { return times[i] > times[j] }
            let idA = alerts[i].eventID ?? ""
            let idB = alerts[j].eventID ?? ""
            if idA != idB { return idA < idB }
            return alerts[i].ruleTitle < alerts[j].ruleTitle
        }
        // Apply the permutation in place, cycle by cycle: swaps move alerts without copying them (a copy of an
        // alert retains and later releases its twenty-odd strings and arrays).
        var placed = [Bool](repeating: false, count: order.count)
        for start in order.indices where !placed[start] {
            var position = start
            while true {
                placed[position] = true
                let source = order[position]
                if source == start { break }
                alerts.swapAt(position, source)
                position = source
            }
        }
    }

}

/// Matches events against a rule set and turns matches into alerts; one `State` per worker.
public struct EventMatcher: Sendable {
    public struct State: Sendable {
        var scratch = RuleSet.Scratch()
        var matches: [Int] = []
        public var alerts: [Alert] = []
        public var eventsMatched = 0
        var eventsSinceReport = 0
        public var correlation = CorrelationCollector()
        public init() {}
    }

    public let ruleSet: RuleSet
    public let includeRawEvent: Bool
    public let enrichers: [any AlertEnricher]
    let progress: ProgressReporter?
    /// Per rule, what every alert of it repeats (computed once, not per alert).
    let ruleInfo: [RuleInfo]

    struct RuleInfo: Sendable {
        var id: String
        var title: String
        var level: Level
        var status: Status?
        var tags: [String]
        var tactics: [String]
        var techniques: [String]
    }
    /// Correlations fed by the matches (nil: none), which also silences `generate: false` rules (COR-08).
    public let correlator: ScanCorrelator?

    public init(
        ruleSet: RuleSet, includeRawEvent: Bool = false, enrichers: [any AlertEnricher] = Enrichers.standard,
        correlator: ScanCorrelator? = nil
    ) {
        self.init(
            ruleSet: ruleSet, includeRawEvent: includeRawEvent, progress: nil, correlator: correlator,
            enrichers: enrichers)
    }

    init(
        ruleSet: RuleSet, includeRawEvent: Bool, progress: ProgressReporter?, correlator: ScanCorrelator? = nil,
        enrichers: [any AlertEnricher] = Enrichers.standard
    ) {
        self.ruleSet = ruleSet
        self.includeRawEvent = includeRawEvent
        self.enrichers = enrichers
        self.progress = progress
        ruleInfo = ruleSet.rules.map { compiled in
            let meta = compiled.rule.metadata
            return RuleInfo(
                id: meta.id ?? meta.title, title: compiled.rule.title, level: meta.level ?? .medium,
                status: meta.status, tags: meta.tags, tactics: AttackTags.tactics(in: meta.tags),
                techniques: AttackTags.techniques(in: meta.tags))
        }
        self.correlator = correlator.flatMap { $0.plan.isEmpty ? nil : $0 }
    }

    /// Evaluates one event; appends alerts to the state.
    public func visit(_ state: inout State, _ event: borrowing CloudTrailEvent) {
        if let progress {
            state.eventsSinceReport += 1
            if state.eventsSinceReport == 4096 {
                progress.add(events: 4096)
                state.eventsSinceReport = 0
            }
        }
        ruleSet.matchingRules(event, scratch: &state.scratch, into: &state.matches)
        if let correlator, !state.matches.isEmpty || correlator.plan.needsEveryEvent {
            correlator.observe(&state.correlation, event: event, matches: state.matches)
        }
        if state.matches.isEmpty { return }
        state.eventsMatched += 1
        for index in state.matches where correlator?.producesAlerts(rule: index) ?? true {
            state.alerts.append(makeAlert(ruleIndex: index, event: event))
        }
    }

    /// Builds the alert for one rule (an index into the rule set) and one event, with enrichment.
    public func makeAlert(ruleIndex: Int, event: borrowing CloudTrailEvent) -> Alert {
        // Everything an alert repeats from its rule comes from `ruleInfo`: reading the rule itself copied the
        // whole loaded rule (dozens of strings and arrays retained and released) for every alert.
        let info = ruleInfo[ruleIndex]
        let time = event.string(at: AlertFields.eventTime) ?? ""
        var alert = Alert(
            ruleID: info.id, ruleTitle: info.title, level: info.level, status: info.status,
            tags: info.tags, eventTime: time, eventTimeMillis: event.eventTimeMilliseconds,
            tactics: info.tactics, techniques: info.techniques)
        alert.eventID = event.eventID
        alert.eventSource = event.eventSource
        alert.eventName = event.eventName
        alert.account = event.string(at: AlertFields.recipientAccountId)
            ?? event.string(at: AlertFields.userIdentityAccountId)
        alert.region = event.string(at: AlertFields.awsRegion)
        alert.identityType = event.string(at: AlertFields.userIdentityType)
        alert.identity = event.string(at: AlertFields.userIdentityArn)
            ?? event.string(at: AlertFields.sessionIssuerArn) ?? alert.identityType
        alert.sourceIP = event.string(at: AlertFields.sourceIPAddress)
        alert.userAgent = event.string(at: AlertFields.userAgent)
        alert.errorCode = event.string(at: AlertFields.errorCode)
        alert.errorMessage = event.string(at: AlertFields.errorMessage)
        alert.origin = event.line.map { "\(event.inputPath):\($0)" } ?? "\(event.inputPath)@\(event.byteOffset)"
        if includeRawEvent { alert.rawEvent = event.rawJSON }
        let record = event.json
        for enricher in enrichers { enricher.enrich(&alert, record: record) }
        return alert
    }
}

/// Field paths read for every alert, interned once.
enum AlertFields {
    static let eventTime = FieldPath("eventTime")
    static let recipientAccountId = FieldPath("recipientAccountId")
    static let userIdentityAccountId = FieldPath("userIdentity.accountId")
    static let awsRegion = FieldPath("awsRegion")
    static let userIdentityType = FieldPath("userIdentity.type")
    static let userIdentityArn = FieldPath("userIdentity.arn")
    static let sessionIssuerArn = FieldPath("userIdentity.sessionContext.sessionIssuer.arn")
    static let sourceIPAddress = FieldPath("sourceIPAddress")
    static let userAgent = FieldPath("userAgent")
    static let errorCode = FieldPath("errorCode")
    static let errorMessage = FieldPath("errorMessage")
}

/// Progress on stderr for long scans (only when stderr is a terminal): files and bytes done, events read, rate
/// and an estimate of the time left, on one line rewritten twice a second.
final class ProgressReporter: Sendable {
    let input = InputProgress()
    private let events = Atomic<Int>(0)
    private let running = Atomic<Bool>(false)
    private let started = Date()

    func add(events count: Int) { events.add(count, ordering: .relaxed) }

    func start() {
        running.store(true, ordering: .relaxed)
        let thread = Thread { [self] in
            while running.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: 0.5)
                guard running.load(ordering: .relaxed) else { break }
                FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line()).utf8))
            }
        }
        thread.start()
    }

    func line() -> String {
        let elapsed = Date().timeIntervalSince(started)
        let count = events.load(ordering: .relaxed)
        let progress = input.snapshot
        let rate = elapsed > 0 ? Double(count) / elapsed : 0
        var text = "\(progress.files)/\(progress.totalFiles) files, "
            + "\(ProgressReporter.megabytes(progress.bytes))/\(ProgressReporter.megabytes(progress.totalBytes)) MB, "
            + "\(ProgressReporter.count(count)) events, \(ProgressReporter.count(Int(rate))) events/s"
        if progress.bytes > 0 && progress.totalBytes > progress.bytes && elapsed > 1 {
            let remaining = elapsed * Double(progress.totalBytes - progress.bytes) / Double(progress.bytes)
            text += String(format: ", ETA %.0fs", remaining)
        }
        return text
    }

    func stop() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1e6) }

    static func count(_ n: Int) -> String {
        n >= 1_000_000 ? String(format: "%.1fM", Double(n) / 1e6) : n >= 10_000 ? "\(n / 1000)k" : "\(n)"
    }
}
