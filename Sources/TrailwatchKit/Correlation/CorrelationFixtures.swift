import CloudTrail
import SigmaKit

/// An alert a correlation fixture case expects (`FIXTURES.md`, "Correlation fixtures"). Every key is optional;
/// those given must equal the actual alert's.
public struct ExpectedCorrelationAlert: Sendable, Hashable {
    /// group-by field → value, compared without regard to case (COR-10).
    public var group: [String: String]?
    /// Contributing event ids, oldest first.
    public var eventIDs: [String]?
    /// RFC 3339 end of the window (the time of the event that completed the condition).
    public var windowEnd: String?
    public var metric: Double?

    /// Reads one element of a case's `alerts` array; nil with the reason when malformed.
    static func parse(_ value: JSONValue) -> (ExpectedCorrelationAlert?, String?) {
        guard value.kind == .object else { return (nil, "each entry of \"alerts\" must be an object") }
        var expected = ExpectedCorrelationAlert()
        var problem: String?
        value.forEachMember { key, member in
            switch key.text {
            case "group":
                guard member.kind == .object else {
                    problem = "\"group\" must be an object of field → value"
                    return
                }
                var group: [String: String] = [:]
                member.forEachMember { field, text in group[field.text] = text.string ?? text.text }
                expected.group = group
            case "eventIds":
                var ids: [String] = []
                member.forEachElement { if let id = $0.string { ids.append(id) } }
                expected.eventIDs = ids
            case "windowEnd":
                expected.windowEnd = member.string
            case "metric":
                expected.metric = Double(member.text)
            default:
                problem = "unknown key \"\(key.text)\" in an expected alert (group, eventIds, windowEnd, metric)"
            }
        }
        return problem == nil ? (expected, nil) : (nil, problem)
    }

    /// The differences with an actual alert, one line each.
    func differences(from alert: Alert, index: Int) -> [String] {
        guard let details = alert.correlation else { return ["alert \(index + 1) is not a correlation alert"] }
        var out: [String] = []
        if let group {
            let actual = Dictionary(details.group.map { ($0.field, $0.value) }, uniquingKeysWith: { a, _ in a })
            for (field, value) in group.sorted(by: { $0.key < $1.key })
            where actual[field]?.lowercased() != value.lowercased() {
                out.append("alert \(index + 1): expected \(field)=\(value), got \(actual[field] ?? "<none>")")
            }
        }
        if let eventIDs, eventIDs != details.eventIDs {
            out.append(
                "alert \(index + 1): expected events [\(eventIDs.joined(separator: ", "))], got "
                    + "[\(details.eventIDs.joined(separator: ", "))]")
        }
        if let windowEnd, windowEnd != details.windowEnd {
            out.append("alert \(index + 1): expected the window to end at \(windowEnd), got \(details.windowEnd)")
        }
        if let metric, abs(metric - details.metric) > 1e-9 {
            out.append("alert \(index + 1): expected metric \(metric), got \(details.metric)")
        }
        return out
    }
}

extension FixtureRunner {
    /// Runs a correlation case: every event through the compiled pack (as `scan` does, all rules and filters),
    /// then the correlation engine; compares the target correlation's alerts with the expectation.
    func runCorrelation(
        _ testCase: RuleFixtureFile.Case, file: RuleFixtureFile, ruleSet: RuleSet, correlation: SigmaCorrelation
    ) -> Outcome {
        let correlator = ScanCorrelator(collection: collection, ruleSet: ruleSet)
        var collector = CorrelationCollector()
        var differences: [String] = []
        var scratch = RuleSet.Scratch()
        var matches: [Int] = []
        for (index, json) in testCase.events.enumerated() {
            do {
                try CloudTrailEvent.withEvent(parsing: json) { event in
                    ruleSet.matchingRules(event, scratch: &scratch, into: &matches)
                    correlator.observe(&collector, event: event, matches: matches)
                }
            } catch {
                differences.append("event \(index + 1) does not parse: \(error)")
            }
        }
        let (firings, details, _) = correlator.evaluate([collector], ruleSet: ruleSet)
        let alerts = firings.filter { correlator.plan.nodes[$0.node].correlation.origin == correlation.origin }
            .map { correlator.makeAlert($0, details: details) }
        if alerts.isEmpty == testCase.expectMatch {
            differences.append(
                "expected \(testCase.expectMatch ? "an alert" : "no alert"), got \(alerts.count) alert(s)"
                    + alerts.map { " [\($0.summary ?? "")]" }.joined())
        } else if !testCase.alerts.isEmpty {
            if alerts.count != testCase.alerts.count {
                differences.append(
                    "expected \(testCase.alerts.count) alert(s), got \(alerts.count)"
                        + alerts.map { " [\($0.summary ?? "")]" }.joined())
            }
            for (index, (expected, actual)) in zip(testCase.alerts, alerts).enumerated() {
                differences += expected.differences(from: actual, index: index)
            }
        }
        return Outcome(
            file: file.path, ruleTitle: correlation.metadata.title, caseName: testCase.name,
            passed: differences.isEmpty, differences: differences)
    }
}
