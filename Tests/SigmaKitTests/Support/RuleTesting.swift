import SigmaKit
import Testing

/// Builds a one-rule YAML document around a `detection:` body written at column 0.
func ruleYAML(_ detection: String, condition: String = "sel") -> String {
    let body = detection.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        .joined(separator: "\n")
    let hasCondition = detection.contains("condition:")
    return """
        title: test rule
        id: 11111111-2222-4333-8444-555555555555
        logsource:
            product: aws
            service: cloudtrail
        detection:
        \(body)
        \(hasCondition ? "" : "    condition: \(condition)")
        level: medium
        """
}

/// Loads `yaml` and compiles it; records an issue and returns nil when it does not load.
func compileRules(_ yaml: String, filters: Bool = true, sourceLocation: Testing.SourceLocation = #_sourceLocation)
    -> RuleSet?
{
    let collection = RuleLoader().load(yaml: yaml, path: "test.yml")
    let errors = collection.diagnostics.filter { $0.severity == .error }
    if !errors.isEmpty {
        Issue.record("rule did not load: \(errors.map(\.description))", sourceLocation: sourceLocation)
        return nil
    }
    let set = RuleSet(rules: collection.rules, filters: filters ? collection.filters : [])
    if !set.diagnostics.isEmpty {
        Issue.record("rule did not compile: \(set.diagnostics.map(\.description))", sourceLocation: sourceLocation)
        return nil
    }
    return set
}

/// True when the single rule of `set` matches the JSON event.
func ruleMatches(_ set: RuleSet, _ json: String) throws -> Bool {
    !set.matchingRules(try TestEvent(json)).isEmpty
}
