import CloudTrail
import Foundation
import SigmaKit
import Testing
import TrailwatchKit

/// TrailwatchKit's catalog logic behind Explore (`Sources/TrailwatchKit/Catalog`): search, facets, order,
/// paging, deduplication, the detection query text, in-memory evaluation and fixture results.
struct DetectionCatalogTests {
    static func rule(
        _ id: String?, _ title: String, level: String = "medium", tags: [String] = [],
        product: String = "aws", service: String = "cloudtrail", date: String = "2024-01-01",
        description: String = "d"
    ) -> String {
        """
        title: \(title)
        \(id.map { "id: \($0)" } ?? "")
        status: test
        description: \(description)
        date: \(date)
        tags: [\(tags.joined(separator: ", "))]
        logsource:
            product: \(product)
            service: \(service)
        detection:
            selection:
                eventName: 'X\(title.count)'
            condition: selection
        level: \(level)

        """
    }

    static let ids = (1...6).map { "00000000-0000-4000-8000-00000000000\($0)" }

    static func catalog() -> DetectionCatalog {
        let yaml = [
            rule(
                ids[0], "Alpha access", level: "high", tags: ["attack.initial-access", "attack.t1190"],
                date: "2024-03-01"),
            rule(ids[1], "Beta persistence", level: "low", tags: ["attack.persistence"], date: "2024-01-01"),
            rule(
                ids[2], "Gamma access", level: "critical", tags: ["attack.initial-access"], product: "windows",
                service: "security", date: "2024-02-01", description: "mentions zeta here"),
            rule(ids[3], "Delta", level: "medium", date: "2023-01-01"),
            rule(ids[0], "Alpha duplicate", level: "low"),
            rule(nil, "No id rule", level: "informational"),
        ].joined(separator: "---\n")
        return DetectionCatalog(collection: RuleLoader().load(yaml: yaml, path: "/tmp/rules/test.yml"))
    }

    @Test func deduplicatesByIDAndGivesStableIDsToRulesWithout() throws {
        let catalog = Self.catalog()
        #expect(catalog.summaries.count == 5)
        #expect(catalog.shadowed.map(\.id) == [Self.ids[0]])
        #expect(catalog.summary(id: Self.ids[0])?.title == "Alpha access")
        let synthetic = try #require(catalog.summaries.first { $0.title == "No id rule" }?.id)
        #expect(synthetic.hasPrefix("path-") && synthetic.count == 21)
        #expect(Self.catalog().summaries.first { $0.title == "No id rule" }?.id == synthetic)
        #expect(catalog.rule(id: synthetic.uppercased())?.title == "No id rule")
    }

    @Test func searchNeedsEveryWordAnywhere() {
        let catalog = Self.catalog()
        #expect(catalog.search(.init(text: "access")).total == 2)
        #expect(catalog.search(.init(text: "ACCESS alpha")).items.map(\.title) == ["Alpha access"])
        #expect(catalog.search(.init(text: "zeta")).items.map(\.title) == ["Gamma access"])  // description
        #expect(catalog.search(.init(text: "windows")).items.map(\.title) == ["Gamma access"])  // logsource
        #expect(catalog.search(.init(text: Self.ids[3])).items.map(\.title) == ["Delta"])
        #expect(catalog.search(.init(text: "Initial Access")).total == 2)  // the tactic's ATT&CK name
        #expect(catalog.search(.init(text: "nothing-like-this")).total == 0)
    }

    @Test func facetsCountOtherFacetsSelectionsOnly() throws {
        let catalog = Self.catalog()
        let result = catalog.search(.init(selections: [.level: ["high", "critical"], .platform: ["aws"]]))
        #expect(result.items.map(\.title) == ["Alpha access"])
        let levels = try #require(result.facets.first { $0.facet == .level }?.values)
        // Level counts ignore the level selection (what picking another level would give) but apply platform.
        #expect(levels.map(\.value) == ["critical", "high", "medium", "low", "informational"])
        #expect(levels.map(\.count) == [0, 1, 1, 1, 1])
        #expect(levels.filter(\.isSelected).map(\.value) == ["critical", "high"])
        let platforms = try #require(result.facets.first { $0.facet == .platform }?.values)
        #expect(Dictionary(uniqueKeysWithValues: platforms.map { ($0.value, $0.count) }) == ["aws": 1, "windows": 1])
        let tactics = try #require(result.facets.first { $0.facet == .tactic }?.values)
        #expect(tactics.first?.label == "Initial Access (TA0001)")
        let types = try #require(result.facets.first { $0.facet == .type }?.values)
        #expect(types.map(\.value) == ["Alert"])
    }

    @Test func sortsAndPages() {
        let catalog = Self.catalog()
        #expect(
            catalog.search(.init()).items.map(\.title)
                == ["Alpha access", "Beta persistence", "Delta", "Gamma access", "No id rule"])
        #expect(catalog.search(.init(sort: .level)).items.first?.title == "Gamma access")
        #expect(catalog.search(.init(sort: .created)).items.prefix(2).map(\.title) == ["Alpha access", "Gamma access"])
        #expect(catalog.search(.init(text: "access", sort: .relevance)).sort == .relevance)
        let page = catalog.search(.init(page: 3, pageSize: 2))
        #expect(page.pageCount == 3)
        #expect(page.items.map(\.title) == ["No id rule"])
        #expect(catalog.search(.init(page: 10, pageSize: 2)).page == 3)
        #expect(catalog.search(.init(pageSize: 100_000)).pageSize == CatalogQuery.maxPageSize)
    }

    @Test func detectionQueryMatchesTheSeedPage() throws {
        let pack = BuiltinPack.load()
        let rule = try #require(pack.rule(withID: "6fb77778-040f-4015-9440-572aa9b6b580"))
        let text = CatalogPage(rule: rule, filters: [], catalog: .builtin).detectionQueryText
        #expect(
            text == """
                selection:
                  eventSource: ec2.amazonaws.com
                  eventName:
                    - AuthorizeSecurityGroupEgress
                    - AuthorizeSecurityGroupIngress
                    - RevokeSecurityGroupEgress
                    - RevokeSecurityGroupIngress
                condition: selection
                """)
    }

    @Test(arguments: [
        ("a: 'plain.value'", "a: plain.value"), ("- 'Revoke'", "- Revoke"), ("a: '*wild'", "a: '*wild'"),
        ("a: 'true'", "a: 'true'"), ("a: '2024-01-01'", "a: '2024-01-01'"), ("a: 'has space'", "a: 'has space'"),
        ("a|endswith: '/0'", "a|endswith: /0"), ("a: '/0 x'", "a: '/0 x'"), ("'quoted: key': x", "'quoted: key': x"),
        ("a: ''", "a: ''"),
    ])
    func quotesAreDroppedOnlyWhenYAMLReadsTheSame(line: String, expected: String) throws {
        let yaml = "title: T\nlogsource:\n    product: aws\ndetection:\n    selection:\n        \(line)\n"
            + "    condition: selection\n"
        let rule = try #require(RuleLoader().load(yaml: yaml).rules.first ?? nil, "\(line)")
        let text = CatalogPage(rule: rule, filters: [], catalog: .builtin).detectionQueryText
        #expect(text.contains("  " + expected + "\n"), "\(text)")
    }

    @Test func evaluatorReadsEveryContainerAndKeepsTheEvent() throws {
        let ruleSet = Scanner.compile(BuiltinPack.load(), includeFailed: false)
        let evaluator = EventEvaluator(ruleSet: ruleSet)
        let event = #"{"eventTime":"2024-05-15T02:15:31Z","eventSource":"ec2.amazonaws.com","#
            + #""eventName":"RevokeSecurityGroupIngress","eventID":"x1","requestParameters":{"groupId":"sg-1"}}"#
        for body in [
            event, "{\"Records\":[\(event),\(event)]}",
            "{\"detail-type\":\"AWS API Call via CloudTrail\",\"detail\":\(event)}",
        ] {
            let result = evaluator.evaluate(Array(body.utf8), source: "test")
            #expect(result.records >= 1, "\(body)")
            #expect(result.alerts.first?.ruleID == "6fb77778-040f-4015-9440-572aa9b6b580", "\(body)")
            #expect(result.alerts.first?.rawEvent?.contains("\"eventID\":\"x1\"") == true)
            #expect(result.alerts.first?.origin?.hasPrefix("test") == true)
        }
        let broken = evaluator.evaluate(Array("{not json".utf8), source: "test")
        #expect(broken.records == 0 && broken.alerts.isEmpty)
        #expect(broken.error != nil || !broken.issues.isEmpty)
    }

    @Test func fixtureResultsCoverThePack() throws {
        let pack = BuiltinPack.load()
        let results = FixtureResults.run(collection: pack, roots: [try #require(BuiltinPack.rulesDirectory?.path)])
        let seed = results.cases(forRuleID: "6FB77778-040F-4015-9440-572AA9B6B580")
        #expect(seed.count > 10)
        #expect(seed.allSatisfy { $0.passed })
        // One entry per fixture file of the pack.
        let fixtureFiles = RuleFixtureFile.discover(in: [try #require(BuiltinPack.rulesDirectory?.path)])
        #expect(results.byRuleID.count == fixtureFiles.count)
        #expect(results.byRuleID.values.allSatisfy { $0.allSatisfy(\.passed) })
        #expect(FixtureResults.run(collection: pack, roots: []).byRuleID.isEmpty)
    }
}
