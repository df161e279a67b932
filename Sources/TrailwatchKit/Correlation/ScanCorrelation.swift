import CloudTrail
import SigmaKit

/// A worker's share of correlation work during a scan: the observations of the events it read (small owned
/// records) and the few details an alert shows about each contributing event.
public struct CorrelationCollector: Sendable {
    var observations: [CorrelationObservation] = []
    var details: [CorrelatedEvent] = []
    var droppedMissingGroupBy = 0
    var eventsWithoutTime = 0

    public init() {}
}

/// The facts kept about an event that feeds a correlation.
struct CorrelatedEvent: Sendable {
    var eventID: String
    var account: String?
    var region: String?
    var identity: String?
    var identityType: String?
    var sourceIP: String?
    var userAgent: String?
    var origin: String
    var raw: String?
}

/// What correlation did in a scan, for the report.
public struct CorrelationReport: Sendable {
    /// Correlations that ran.
    public var running = 0
    /// Correlations that could not run, with the reason.
    public var setAside: [(title: String, reason: String)] = []
    /// Detection rules that only feed correlations (`generate: false`, COR-08): their own alerts are not shown.
    public var silencedRules: [String] = []
    /// Events that could not be correlated because their `eventTime` is missing or not a valid time.
    public var eventsWithoutTime = 0
    /// (event, correlation) pairs dropped because a group-by field was missing (COR-10).
    public var droppedMissingGroupBy = 0
    /// Engine counters (evictions, late observations, incomplete windows, alerts).
    public var statistics = CorrelationStatistics()

    public init() {}
}

/// Correlation in a scan: builds the plan, collects observations in every worker, then sorts them by event time
/// and evaluates them once all input is read, so that the alerts do not depend on the order of files or records.
public struct ScanCorrelator: Sendable {
    public let plan: CorrelationPlan
    public let options: CorrelationOptions
    public let includeRawEvent: Bool

    /// Plans `collection`'s correlations over `ruleSet`.
    public init(
        collection: RuleCollection, ruleSet: RuleSet, options: CorrelationOptions = .init(),
        absentReasons: [String: String] = [:], includeRawEvent: Bool = false
    ) {
        plan = CorrelationPlan(
            correlations: collection.correlations, ruleSet: ruleSet, options: options, absentReasons: absentReasons)
        self.options = options
        self.includeRawEvent = includeRawEvent
    }

    /// Whether rule `index` of the rule set raises alerts of its own (COR-08).
    @inline(__always)
    public func producesAlerts(rule index: Int) -> Bool {
        index >= plan.ruleProducesAlerts.count || plan.ruleProducesAlerts[index]
    }

    /// Extracts what the correlations need from one event (after rule matching), while it is borrowed.
    public func observe(_ collector: inout CorrelationCollector, event: borrowing CloudTrailEvent, matches: [Int]) {
        if plan.isEmpty { return }
        var feeds = plan.needsEveryEvent
        if !feeds {
            for index in matches where plan.feedsCorrelations(rule: index) {
                feeds = true
                break
            }
            if !feeds { return }
        }
        guard let time = event.eventTimeMilliseconds else {
            collector.eventsWithoutTime += 1
            return
        }
        let origin = event.line.map { "\(event.inputPath):\($0)" } ?? "\(event.inputPath)@\(event.byteOffset)"
        let eventID = event.eventID ?? origin
        let payload = Int32(truncatingIfNeeded: collector.details.count)
        let before = collector.observations.count
        collector.droppedMissingGroupBy += plan.observe(
            event, matchedRules: matches, time: time, eventID: eventID, payload: payload,
            into: &collector.observations)
        if plan.needsEveryEvent {
            plan.observeContext(event, time: time, eventID: eventID, payload: payload, into: &collector.observations)
        }
        guard collector.observations.count > before else { return }
        collector.details.append(
            CorrelatedEvent(
                eventID: eventID,
                account: event.string(at: AlertFields.recipientAccountId)
                    ?? event.string(at: AlertFields.userIdentityAccountId),
                region: event.string(at: AlertFields.awsRegion),
                identity: event.string(at: AlertFields.userIdentityArn)
                    ?? event.string(at: AlertFields.sessionIssuerArn) ?? event.string(at: AlertFields.userIdentityType),
                identityType: event.string(at: AlertFields.userIdentityType),
                sourceIP: event.string(at: AlertFields.sourceIPAddress),
                userAgent: event.string(at: AlertFields.userAgent), origin: origin,
                raw: includeRawEvent ? event.rawJSON : nil))
    }

    /// Evaluates the workers' observations together and returns the correlation alerts (of correlations that
    /// report their own) and the report.
    public func finish(_ collectors: [CorrelationCollector], ruleSet: RuleSet) -> (alerts: [Alert], report: CorrelationReport) {
        let (firings, details, report) = evaluate(collectors, ruleSet: ruleSet)
        return (firings.filter(\.producesAlert).map { makeAlert($0, details: details) }, report)
    }

    /// Every firing (also of correlations that do not report their own), the merged event details and the report.
    func evaluate(_ collectors: [CorrelationCollector], ruleSet: RuleSet)
        -> (firings: [CorrelationFiring], details: [CorrelatedEvent], report: CorrelationReport)
    {
        var report = CorrelationReport()
        report.running = plan.nodes.count
        report.setAside = plan.setAside.map { ($0.correlation.metadata.title, $0.reason) }
        report.silencedRules = ruleSet.rules.indices.filter { !producesAlerts(rule: $0) }.map { ruleSet.rules[$0].rule.title }
        var observations: [CorrelationObservation] = []
        var details: [CorrelatedEvent] = []
        observations.reserveCapacity(collectors.reduce(0) { $0 + $1.observations.count })
        for collector in collectors {
            report.eventsWithoutTime += collector.eventsWithoutTime
            report.droppedMissingGroupBy += collector.droppedMissingGroupBy
            let offset = Int32(truncatingIfNeeded: details.count)
            details += collector.details
            for var observation in collector.observations {
                if observation.event.payload >= 0 { observation.event.payload += offset }
                observations.append(observation)
            }
        }
        guard !plan.isEmpty else { return ([], details, report) }
        let (firings, statistics) = CorrelationEngine.evaluate(plan: plan, observations: observations, options: options)
        report.statistics = statistics
        return (firings, details, report)
    }

    /// A correlation alert: the correlation's id, title, level (COR-19) and tags; time, account, region and
    /// identity of the event that completed it; the group, window and contributing events in `correlation`.
    func makeAlert(_ firing: CorrelationFiring, details: [CorrelatedEvent]) -> Alert {
        let correlation = plan.nodes[firing.node].correlation
        let metadata = correlation.metadata
        let end = CorrelationDetails.timeText(firing.windowEnd)
        var alert = Alert(
            ruleID: metadata.id ?? metadata.name ?? metadata.title, ruleTitle: metadata.title,
            level: metadata.level ?? .medium, status: metadata.status, tags: metadata.tags, eventTime: end,
            eventTimeMillis: firing.windowEnd)
        let contributing = firing.events.compactMap { event -> CorrelatedEvent? in
            event.payload >= 0 && Int(event.payload) < details.count ? details[Int(event.payload)] : nil
        }
        if let anchor = contributing.last {
            alert.account = anchor.account
            alert.region = anchor.region
            alert.identity = anchor.identity
            alert.identityType = anchor.identityType
            alert.sourceIP = anchor.sourceIP
            alert.userAgent = anchor.userAgent
            alert.origin = anchor.origin
        }
        var correlationDetails = CorrelationDetails(
            alertID: firing.alertID, type: correlation.type,
            group: firing.group.map { CorrelationDetails.GroupValue(field: $0.field, value: $0.value) },
            windowStart: CorrelationDetails.timeText(firing.windowStart), windowEnd: end,
            timespanSeconds: correlation.timespan, metric: firing.metric, eventIDs: firing.events.map(\.id),
            childAlertIDs: firing.childAlerts, events: nil)
        if includeRawEvent { correlationDetails.events = contributing.compactMap(\.raw) }
        alert.summary = correlationDetails.summary
        alert.correlation = correlationDetails
        return alert
    }
}
