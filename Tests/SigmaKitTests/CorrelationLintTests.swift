import Foundation
import Testing

@testable import SigmaKit

/// `rules lint` for correlations and filters: the warnings the loader cannot give (§13, §15).
struct CorrelationLintTests {
    static func codes(_ yaml: String) -> [String] {
        let collection = RuleLoader().load(yaml: yaml, path: "lint_correlation_test.yml")
        #expect(collection.errors.isEmpty, "\(collection.errors)")
        let own = Set(RuleLinter.CorrelationCode.allCases.map(\.rawValue))
        return RuleLinter().lint(collection).compactMap(\.code).filter(own.contains)
    }

    static func messages(_ yaml: String, _ code: RuleLinter.CorrelationCode) -> [String] {
        RuleLinter().lint(RuleLoader().load(yaml: yaml, path: "lint_correlation_test.yml"))
            .filter { $0.code == code.rawValue }.map(\.description)
    }

    @Test func aCleanCorrelationHasNoWarning() {
        #expect(
            Self.codes(
                correlationYAML(correlationDocument(type: "event_count", rules: "[fail]", condition: "{gte: 3}"))
            ).isEmpty)
    }

    @Test func missingGroupByIsAWarning() {
        let yaml = correlationYAML(
            correlationDocument(type: "event_count", rules: "[fail]", groupBy: nil, condition: "{gte: 3}"))
        #expect(Self.codes(yaml) == ["correlation-no-group-by"])
    }

    @Test func aliasesUnusedAndIncomplete() {
        let unused = correlationYAML(
            correlationDocument(
                type: "temporal", rules: "[fail, ok]",
                extra: "    aliases:\n        actor:\n            fail: user\n            ok: account\n"))
        #expect(Self.codes(unused) == ["correlation-alias-unused"])
        let incomplete = correlationYAML(
            correlationDocument(
                type: "temporal", rules: "[fail, ok]", groupBy: "[actor]",
                extra: "    aliases:\n        actor:\n            fail: user\n"))
        let messages = Self.messages(incomplete, .correlationAliasIncomplete)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("does not map 'ok'") == true)
        #expect(messages.first?.contains("lint_correlation_test.yml:") == true)  // positioned
        // By id counts as mapping the rule referenced by name.
        let byID = correlationYAML(
            correlationDocument(
                type: "temporal", rules: "[fail, ok]", groupBy: "[actor]",
                extra: "    aliases:\n        actor:\n            5638f7c0-ac70-491d-8465-2a65075e0d86: user\n"
                    + "            ok: user\n"))
        #expect(Self.codes(byID).isEmpty)
    }

    @Test func chainedGroupByAndInnerMetadata() {
        let yaml = correlationYAML(
            correlationDocument(
                title: "Inner", name: "inner", type: "event_count", rules: "[fail]", groupBy: "[user]",
                condition: "{gte: 3}", extra: "level: high\n")
                + "---\n"
                + correlationDocument(
                    title: "Outer", type: "temporal_ordered", rules: "[inner, ok]", groupBy: "[user, region]"))
        let codes = Self.codes(yaml)
        #expect(codes.filter { $0 == "correlation-group-by-not-in-child" }.count == 1)  // region
        #expect(codes.contains("correlation-inner-metadata"))
    }

    @Test func generateConflict() {
        let yaml = correlationYAML(
            correlationDocument(
                title: "A", type: "event_count", rules: "[fail]", condition: "{gte: 3}", extra: "    generate: true\n")
                + "---\n" + correlationDocument(title: "B", type: "event_count", rules: "[fail]", condition: "{gte: 9}")
        )
        // `fail` has no level: a building block, silenced on purpose.
        #expect(Self.messages(yaml, .correlationGenerateConflict).isEmpty)
        let leveled = yaml.replacingOccurrences(of: "name: fail\n", with: "name: fail\nlevel: high\n")
        let messages = Self.messages(leveled, .correlationGenerateConflict)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("'B' uses it with generate: false") == true)
    }

    @Test(
        arguments: [
            ("event_count", "{lt: 0}", true), ("event_count", "{lte: -1}", true), ("event_count", "{lt: 1}", false),
            ("temporal", "{gt: 2}", true), ("temporal", "{gte: 3}", true), ("temporal", "{gte: 2}", false),
            ("temporal_ordered", "{eq: 3}", true),
        ] as [(String, String, Bool)])
    func unreachableConditions(type: String, condition: String, never: Bool) {
        let yaml = correlationYAML(correlationDocument(type: type, rules: "[fail, ok]", condition: condition))
        #expect(Self.codes(yaml).contains("correlation-never-true") == never, "\(type) \(condition)")
    }

    @Test func pureNegativeClause() {
        let yaml = correlationYAML(
            correlationDocument(type: "temporal", rules: "[fail, ok]", condition: "'fail or not ok'"))
        #expect(Self.codes(yaml) == ["correlation-pure-negative"])
    }

    @Test func filterWhoseLogsourceNeverApplies() {
        let base = FilterSemanticsTests.yaml()
        let named = base + "\n---\n" + FilterSemanticsTests.filter(logsource: "{product: windows}")
        let messages = Self.messages(named, .filterLogsourceNeverApplies)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("names 'r1'") == true)
        let any = base + "\n---\n" + FilterSemanticsTests.filter(rules: "any", logsource: "{product: gcp}")
        #expect(Self.messages(any, .filterLogsourceNeverApplies).count == 1)
        let fine = base + "\n---\n" + FilterSemanticsTests.filter(rules: "any")
        #expect(Self.messages(fine, .filterLogsourceNeverApplies).isEmpty)
    }

    @Test func filterNamingACorrelationOrNothing() {
        let yaml = correlationYAML(
            correlationDocument(name: "corr", type: "event_count", rules: "[fail]", condition: "{gte: 3}")
                + "---\ntitle: F\nlogsource: {product: aws}\nfilter:\n    rules: [corr, nothing]\n"
                + "    sel: {user: x}\n    condition: not sel\n")
        let collection = RuleLoader().load(yaml: yaml, path: "lint_correlation_test.yml")
        let codes = RuleLinter().lint(collection).compactMap(\.code)
        #expect(codes.contains("filter-names-correlation"))
        #expect(codes.filter { $0 == "filter-target-not-found" }.count == 2)  // existing check, both names
    }
}
