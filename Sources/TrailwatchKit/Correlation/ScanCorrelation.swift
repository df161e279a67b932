import CloudTrail
import SigmaKit
import Synchronization

/// A worker's share of correlation work during a scan: the observations of the events it read (small owned
/// records) and the few details an alert shows about each contributing event.
public struct CorrelationCollector: Sendable {
    var observations: [CorrelationObservation] = []
    var details: [CorrelatedEvent] = []
    var droppedMissingGroupBy = 0
    var eventsWithoutTime = 0
    /// This collector's number in the scan (assigned on first use), the high half of every payload it makes.
    var part: Int64 = -1
    /// One copy of each repeated text (identities, accounts, regions, user agents, paths).
    var strings: [String: String] = [:]

    public init() {}

    /// The last texts interned, compared before hashing (consecutive records often share them).
    var recent: [String] = ["", "", "", ""]

    mutating func intern(_ text: String?, slot: Int = 0) -> String? {
        guard let text else { return nil }
        if recent[slot] == text { return recent[slot] }
        var shared = text
        if let known = strings[text] {
            shared = known
        } else if strings.count < 100_000 {
            strings[text] = text
        }
        recent[slot] = shared
        return shared
    }
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
    var inputPath: String
    /// The line (when known), else the byte offset (negative: -1 - offset).
    var position: Int
    var raw: String?

    var origin: String { position >= 0 ? "\(inputPath):\(position)" : "\(inputPath)@\(-1 - position)" }
}

/// Hands out collector numbers.
final class PartCounter: Sendable {
    let next = Atomic<Int64>(0)
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
    let parts = PartCounter()

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
        if collector.part < 0 { collector.part = parts.next.add(1, ordering: .relaxed).oldValue }
        let position = event.line ?? (-1 - event.byteOffset)
        let eventID =
            event.eventID ?? (event.line.map { "\(event.inputPath):\($0)" } ?? "\(event.inputPath)@\(event.byteOffset)")
        let payload = collector.part << 32 | Int64(collector.details.count)
        let before = collector.observations.count
        collector.droppedMissingGroupBy += plan.observe(
            event, matchedRules: matches, time: time, eventID: eventID, payload: payload,
            into: &collector.observations)
        if plan.needsEveryEvent {
            plan.observeContext(event, time: time, eventID: eventID, payload: payload, into: &collector.observations)
        }
        guard collector.observations.count > before else { return }
        var facts = EventFacts()
        facts.read(event.json)
        // Texts of up to 15 UTF-8 bytes (account ids, regions, IPv4 addresses) are stored inline by Swift; only the
        // long, repeated ones are interned.
        collector.details.append(
            CorrelatedEvent(
                eventID: eventID, account: facts.recipientAccountId ?? facts.identityAccountId, region: facts.region,
                identity: collector.intern(facts.arn ?? facts.issuerArn, slot: 0) ?? facts.identityType,
                identityType: facts.identityType, sourceIP: facts.sourceIP,
                userAgent: collector.intern(facts.userAgent, slot: 1),
                inputPath: collector.intern(event.inputPath, slot: 2) ?? event.inputPath, position: position,
                raw: includeRawEvent ? event.rawJSON : nil))
    }

    /// Evaluates the workers' observations together and returns the correlation alerts (of correlations that
    /// report their own) and the report.
    public func finish(
        _ collectors: [CorrelationCollector], ruleSet: RuleSet
    ) -> (alerts: [Alert], report: CorrelationReport) {
        let (firings, details, report) = evaluate(collectors, ruleSet: ruleSet)
        return (firings.filter(\.producesAlert).map { makeAlert($0, details: details) }, report)
    }

    /// Every firing (also of correlations that do not report their own), the details by collector number, and
    /// the report.
    func evaluate(_ collectors: [CorrelationCollector], ruleSet: RuleSet)
        -> (firings: [CorrelationFiring], details: [Int64: [CorrelatedEvent]], report: CorrelationReport)
    {
        var report = CorrelationReport()
        report.running = plan.nodes.count
        report.setAside = plan.setAside.map { ($0.correlation.metadata.title, $0.reason) }
        report.silencedRules = ruleSet.rules.indices.filter { !producesAlerts(rule: $0) }
            .map { ruleSet.rules[$0].rule.title }
        var details: [Int64: [CorrelatedEvent]] = [:]
        for collector in collectors {
            report.eventsWithoutTime += collector.eventsWithoutTime
            report.droppedMissingGroupBy += collector.droppedMissingGroupBy
            if collector.part >= 0 { details[collector.part] = collector.details }
        }
        guard !plan.isEmpty else { return ([], details, report) }
        let (firings, statistics) = CorrelationEngine.evaluate(
            plan: plan, parts: collectors.map(\.observations), options: options)
        report.statistics = statistics
        return (firings, details, report)
    }

    /// A correlation alert: the correlation's id, title, level (COR-19) and tags; time, account, region and
    /// identity of the event that completed it; the group, window and contributing events in `correlation`.
    func makeAlert(_ firing: CorrelationFiring, details: [Int64: [CorrelatedEvent]]) -> Alert {
        let correlation = plan.nodes[firing.node].correlation
        let metadata = correlation.metadata
        let end = CorrelationDetails.timeText(firing.windowEnd)
        var alert = Alert(
            ruleID: metadata.id ?? metadata.name ?? metadata.title, ruleTitle: metadata.title,
            level: metadata.level ?? .medium, status: metadata.status, tags: metadata.tags, eventTime: end,
            eventTimeMillis: firing.windowEnd)
        let contributing = firing.events.compactMap { event -> CorrelatedEvent? in
            guard event.payload >= 0, let list = details[event.payload >> 32] else { return nil }
            let index = Int(event.payload & 0xFFFF_FFFF)
            return index < list.count ? list[index] : nil
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

/// The few fields an alert shows, read in one pass over the record (and its `userIdentity`), as
/// `CloudTrailEvent.string(at:)` would read them one by one: the first member with the key, a string, number
/// or boolean as text.
struct EventFacts {
    var recipientAccountId: String?
    var region: String?
    var sourceIP: String?
    var userAgent: String?
    var identityType: String?
    var arn: String?
    var identityAccountId: String?
    var issuerArn: String?

    static func text(_ value: JSONValue) -> String? {
        switch value.kind {
        case .string, .number, .bool: return value.text
        default: return nil
        }
    }

    mutating func read(_ record: JSONValue) {
        var identitySeen = false
        record.forEachMember { key, value in
            if recipientAccountId == nil && key.stringEquals("recipientAccountId") {
                recipientAccountId = Self.text(value)
            } else if region == nil && key.stringEquals("awsRegion") {
                region = Self.text(value)
            } else if sourceIP == nil && key.stringEquals("sourceIPAddress") {
                sourceIP = Self.text(value)
            } else if userAgent == nil && key.stringEquals("userAgent") {
                userAgent = Self.text(value)
            } else if !identitySeen && key.stringEquals("userIdentity") {
                identitySeen = true
                readIdentity(value)
            }
        }
    }

    private mutating func readIdentity(_ identity: JSONValue) {
        var contextSeen = false
        identity.forEachMember { key, value in
            if identityType == nil && key.stringEquals("type") {
                identityType = Self.text(value)
            } else if arn == nil && key.stringEquals("arn") {
                arn = Self.text(value)
            } else if identityAccountId == nil && key.stringEquals("accountId") {
                identityAccountId = Self.text(value)
            } else if !contextSeen && key.stringEquals("sessionContext") {
                contextSeen = true
                if let issuer = value["sessionIssuer"], let text = issuer["arn"].flatMap(Self.text) {
                    issuerArn = text
                }
            }
        }
    }
}
