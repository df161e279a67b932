import Foundation
import Testing

@testable import SigmaKit

/// §13 Sigma filters at event level (FLT-01..FLT-07): which rules a filter reaches and what it does to matches.
struct FilterSemanticsTests {
    /// r1 (ConsoleLogin, named `r1`, logsource aws/cloudtrail) and r2 (GetObject, no name) plus `filters`.
    static func yaml(_ filters: String...) -> String {
        var text = """
            title: Console login
            id: 11111111-2222-4333-8444-555555555555
            name: r1
            logsource: {product: aws, service: cloudtrail}
            detection:
                selection: {eventName: ConsoleLogin}
                condition: selection
            ---
            title: Object read
            id: 22222222-2222-4333-8444-555555555555
            logsource: {product: aws, service: cloudtrail}
            detection:
                selection: {eventName: GetObject}
                filter_main: {user: robot}
                condition: selection and not 1 of filter*
            """
        for filter in filters { text += "\n---\n" + filter }
        return text
    }

    static func filter(
        rules: String = "[r1]", logsource: String = "{product: aws}",
        body: String = "selection: {user|startswith: adm_}",
        condition: String = "not selection", title: String = "F"
    ) -> String {
        """
        title: \(title)
        logsource: \(logsource)
        filter:
            rules: \(rules)
            \(body.replacingOccurrences(of: "\n", with: "\n    "))
            condition: \(condition)
        """
    }

    /// Titles of the rules matching `json`.
    static func matches(_ yaml: String, _ json: String) throws -> [String] {
        let collection = RuleLoader().load(yaml: yaml, path: "filters.yml")
        #expect(collection.errors.isEmpty, "\(collection.errors)")
        let set = RuleSet(rules: collection.rules, filters: collection.filters)
        #expect(set.diagnostics.isEmpty, "\(set.diagnostics)")
        return set.matchingRules(try TestEvent(json)).map(\.rule.title)
    }

    static let admin = #"{"eventName":"ConsoleLogin","user":"adm_bob"}"#
    static let bob = #"{"eventName":"ConsoleLogin","user":"bob"}"#

    // FLT-04: (rule condition) AND (filter condition); an exclusion must say `not`.
    @Test func exclusionFilterMustNegate() throws {
        let yaml = Self.yaml(Self.filter())
        #expect(try Self.matches(yaml, Self.admin).isEmpty)
        #expect(try Self.matches(yaml, Self.bob) == ["Console login"])
    }

    @Test func filterWithoutNotRestrictsTheRule() throws {
        // The spec's own example (`condition: selection`) therefore keeps only adm_ users.
        let yaml = Self.yaml(Self.filter(condition: "selection"))
        #expect(try Self.matches(yaml, Self.admin) == ["Console login"])
        #expect(try Self.matches(yaml, Self.bob).isEmpty)
    }

    // FLT-02: by id or name; a UUID only by id; titles never; `any` and `[]` reach every rule of the logsource.
    @Test(
        arguments: [
            ("[r1]", true), ("[11111111-2222-4333-8444-555555555555]", true),
            ("[11111111-2222-4333-8444-555555555555X]", false),
            ("['Console login']", false), ("any", true), ("ANY", true), ("[]", true), ("[other, r1]", true),
            ("r1", true), ("[22222222-2222-4333-8444-555555555555]", false),
        ] as [(String, Bool)])
    func filterReachesRulesByIdOrName(rules: String, applies: Bool) throws {
        let yaml = Self.yaml(Self.filter(rules: rules))
        #expect(try Self.matches(yaml, Self.admin).isEmpty == applies, "\(rules)")
    }

    @Test func anyReachesEveryRuleOfTheLogsource() throws {
        let yaml = Self.yaml(Self.filter(rules: "any", body: "selection: {user: carol}"))
        #expect(try Self.matches(yaml, #"{"eventName":"GetObject","user":"carol"}"#).isEmpty)
        #expect(try Self.matches(yaml, #"{"eventName":"GetObject","user":"dave"}"#) == ["Object read"])
    }

    // FLT-03: every logsource attribute the filter sets must equal the rule's.
    @Test(
        arguments: [
            ("{product: aws}", true), ("{product: aws, service: cloudtrail}", true), ("{service: cloudtrail}", true),
            ("{product: aws, service: cloudtrail, category: x}", false), ("{product: windows}", false),
            ("{product: aws, service: s3}", false),
        ] as [(String, Bool)])
    func logsourceGate(logsource: String, applies: Bool) throws {
        let yaml = Self.yaml(Self.filter(logsource: logsource))
        #expect(try Self.matches(yaml, Self.admin).isEmpty == applies, "\(logsource)")
    }

    // FLT-05: the filter's selections live in their own namespace.
    @Test func filterSelectionsAreNamespaced() throws {
        // The rule r2 has `filter_main` and `1 of filter*`; a filter whose selection is also called `filter_x`
        // and that uses `1 of them` sees only its own selections.
        let filter = Self.filter(
            rules: "any", body: "filter_x: {region: eu}\nselection: {user: robot}", condition: "not 1 of them")
        let yaml = Self.yaml(filter)
        // Rule r2 still excludes its own `robot` (its `1 of filter*` does not see the filter's filter_x)...
        #expect(try Self.matches(yaml, #"{"eventName":"GetObject","user":"robot","region":"us"}"#).isEmpty)
        // ...and the filter's `1 of them` covers filter_x and selection only: eu or robot are excluded.
        #expect(try Self.matches(yaml, #"{"eventName":"GetObject","user":"x","region":"eu"}"#).isEmpty)
        #expect(try Self.matches(yaml, #"{"eventName":"GetObject","user":"x","region":"us"}"#) == ["Object read"])
        // A filter selection named like the rule's (`selection`) does not replace the rule's.
        #expect(try Self.matches(yaml, #"{"eventName":"ConsoleLogin","user":"x","region":"us"}"#) == ["Console login"])
    }

    // FLT-07: several filters on one rule are ANDed.
    @Test func severalFiltersAreAnded() throws {
        let yaml = Self.yaml(
            Self.filter(title: "F1"),
            Self.filter(body: "selection: {region: eu}", condition: "selection", title: "F2"))
        #expect(
            try Self.matches(yaml, #"{"eventName":"ConsoleLogin","user":"bob","region":"eu"}"#) == ["Console login"])
        #expect(try Self.matches(yaml, #"{"eventName":"ConsoleLogin","user":"bob","region":"us"}"#).isEmpty)
        #expect(try Self.matches(yaml, #"{"eventName":"ConsoleLogin","user":"adm_x","region":"eu"}"#).isEmpty)
        let collection = RuleLoader().load(yaml: yaml)
        let set = RuleSet(rules: collection.rules, filters: collection.filters)
        #expect(set.rules.first?.filters.map(\.metadata.title) == ["F1", "F2"])
    }

    // FLT-06: correlations are not filtered, but the rules they use are, which changes their input.
    @Test func filtersChangeTheInputOfCorrelations() throws {
        let correlation = """
            title: Three logins
            correlation:
                type: event_count
                rules: [r1]
                group-by: [region]
                timespan: 10m
                condition: {gte: 3}
            """
        let events = ["adm_a", "bob", "carol"].enumerated().map {
            TimedEvent(Int64($0.offset), #"{"eventName":"ConsoleLogin","region":"eu","user":"\#($0.element)"}"#)
        }
        let unfiltered = CorrelationHarness(Self.yaml(correlation))
        #expect(try unfiltered.alerts("Three logins", events).count == 1)
        let filtered = CorrelationHarness(Self.yaml(correlation, Self.filter()))
        #expect(try filtered.alerts("Three logins", events).isEmpty)  // the adm_ login no longer reaches it
        // A filter naming the correlation itself does nothing (filters change detection rules only).
        let named = CorrelationHarness(
            Self.yaml(
                "name: three\n" + correlation,
                Self.filter(rules: "[three]", body: "selection: {user: bob}", condition: "not selection")))
        #expect(try named.alerts("Three logins", events).count == 1)
    }

    // FLT-01: a filter document is a filter, never a rule of its own.
    @Test func aFilterIsNotARule() throws {
        let yaml = Self.yaml(Self.filter(rules: "any", body: "selection: {user: x}", condition: "selection"))
        let collection = RuleLoader().load(yaml: yaml)
        #expect(collection.filters.count == 1)
        #expect(collection.rules.count == 2)
        #expect(try Self.matches(yaml, #"{"user":"x"}"#).isEmpty)
    }
}
