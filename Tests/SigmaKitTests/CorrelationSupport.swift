import Testing

@testable import SigmaKit

/// A test event for correlations: its time in seconds, its JSON fields and an id (defaults to `e<index>`).
struct TimedEvent {
    var seconds: Int64
    var json: String
    var id: String?

    init(_ seconds: Int64, _ json: String, id: String? = nil) {
        self.seconds = seconds
        self.json = json
        self.id = id
    }
}

/// Loads a YAML collection, compiles its rules and correlations, runs events through them and returns the
/// correlation alerts.
struct CorrelationHarness {
    let collection: RuleCollection
    let ruleSet: RuleSet
    let plan: CorrelationPlan

    init(
        _ yaml: String, options: CorrelationOptions = .init(), sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        collection = RuleLoader().load(yaml: yaml, path: "correlation-test.yml")
        let errors = collection.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
            Issue.record("documents did not load: \(errors.map(\.description))", sourceLocation: sourceLocation)
        }
        ruleSet = RuleSet(rules: collection.rules, filters: collection.filters)
        plan = CorrelationPlan(correlations: collection.correlations, ruleSet: ruleSet, options: options)
    }

    /// The observations of `events`, in the given order.
    func observations(_ events: [TimedEvent]) throws -> [CorrelationObservation] {
        var out: [CorrelationObservation] = []
        var scratch = RuleSet.Scratch()
        var matched: [Int] = []
        for (index, timed) in events.enumerated() {
            let event = try TestEvent(timed.json)
            ruleSet.matchingRules(event, scratch: &scratch, into: &matched)
            let id = timed.id ?? "e\(index)"
            plan.observe(event, matchedRules: matched, time: timed.seconds * 1000, eventID: id, into: &out)
            plan.observeContext(event, time: timed.seconds * 1000, eventID: id, into: &out)
        }
        return out
    }

    /// Every alert of every correlation, sorted and evaluated at once (the file-scan path).
    func run(_ events: [TimedEvent], options: CorrelationOptions? = nil) throws -> [CorrelationFiring] {
        try CorrelationEngine.evaluate(plan: plan, observations: observations(events), options: options).firings
    }

    /// The alerts of the correlation titled `title`.
    func alerts(_ title: String, _ events: [TimedEvent], options: CorrelationOptions? = nil) throws
        -> [CorrelationFiring]
    {
        try run(events, options: options).filter { plan.nodes[$0.node].correlation.metadata.title == title }
    }
}

extension CorrelationFiring {
    /// `end@seconds` plus the event ids, for compact expectations.
    var brief: String { "\(windowEnd / 1000):" + events.map(\.id).joined(separator: ",") }
    /// The group values, joined with `|`.
    var groupText: String { group.map(\.value).joined(separator: "|") }
}

/// Two base rules named `fail` and `ok` (errorCode Failed / absent) and a rule `other`, plus `extra` documents.
func correlationYAML(_ correlations: String) -> String {
    """
    title: Failed login
    id: 5638f7c0-ac70-491d-8465-2a65075e0d86
    name: fail
    logsource: {product: aws}
    detection:
        sel: {eventName: Login, errorCode: Failed}
        condition: sel
    ---
    title: Successful login
    name: ok
    logsource: {product: aws}
    detection:
        sel: {eventName: Login, errorCode: null}
        condition: sel
    ---
    title: Any login
    name: other
    logsource: {product: aws}
    detection:
        sel: {eventName: Login}
        condition: sel
    ---
    \(correlations)
    """
}

/// One correlation document.
func correlationDocument(
    title: String = "C", name: String? = nil, type: String, rules: String, groupBy: String? = "[user]",
    timespan: String = "10m", condition: String? = nil, extra: String = ""
) -> String {
    var text = "title: \(title)\n"
    if let name { text += "name: \(name)\n" }
    text += "correlation:\n    type: \(type)\n    rules: \(rules)\n"
    if let groupBy { text += "    group-by: \(groupBy)\n" }
    text += "    timespan: \(timespan)\n"
    if let condition { text += "    condition: \(condition)\n" }
    text += extra
    return text
}

/// A failed login of `user` at `seconds`.
func fail(_ seconds: Int64, _ user: String = "alice", id: String? = nil, extra: String = "") -> TimedEvent {
    TimedEvent(seconds, "{\"eventName\":\"Login\",\"errorCode\":\"Failed\",\"user\":\"\(user)\"\(extra)}", id: id)
}

/// A successful login of `user` at `seconds`.
func ok(_ seconds: Int64, _ user: String = "alice", id: String? = nil, extra: String = "") -> TimedEvent {
    TimedEvent(seconds, "{\"eventName\":\"Login\",\"user\":\"\(user)\"\(extra)}", id: id)
}
