import Foundation
import SigmaKit
import Testing
import TrailwatchKit

/// The built-in pack: it loads cleanly, its fixtures pass, a broken fixture fails, and `rules show` renders every
/// element of the seed's catalog page.
struct PackTests {
    static let seedID = "6fb77778-040f-4015-9440-572aa9b6b580"

    @Test func packLoadsWithoutErrors() {
        let pack = BuiltinPack.load()
        #expect(pack.diagnostics.filter { $0.severity == .error }.isEmpty, "\(pack.diagnostics)")
        #expect(pack.rules.contains { $0.metadata.id == Self.seedID })
        #expect(pack.filters.contains { $0.metadata.id == BuiltinPack.successfulCallsFilterID })
        let set = Scanner.compile(pack, includeFailed: false)
        #expect(set.diagnostics.isEmpty)
        let seed = try? #require(set.rules.first { $0.rule.metadata.id == Self.seedID })
        #expect(seed?.filters.map(\.metadata.id) == [BuiltinPack.successfulCallsFilterID])
        #expect(seed?.indexKey?.field == "eventName")
    }

    @Test func seedRuleIsTheSeedPagesRawContentVerbatim() throws {
        guard let shared = Repository.shared else { return }
        let page = try String(contentsOf: shared.appendingPathComponent("seeds/detection-page.txt"), encoding: .utf8)
        let raw = try #require(page.components(separatedBy: "Raw Content\n").last)
        let seed = try #require(BuiltinPack.load().rules.first { $0.metadata.id == Self.seedID })
        let file = try String(contentsOfFile: seed.origin.path, encoding: .utf8)
        #expect(file == raw)
    }

    @Test func packFixturesPass() {
        let result = FixtureReport.run(paths: [], includeBuiltin: true)
        #expect(result.failed == 0, "\(result.text)")
        #expect(result.passed >= 80)
        #expect(result.text.hasSuffix("\(result.passed) passed, 0 failed\n"))
    }

    @Test func aBrokenFixtureFails() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            title: Console login
            id: 2f5a0d1e-8c2b-4b7a-9d3e-1a2b3c4d5e6f
            logsource: {product: aws, service: cloudtrail}
            detection:
                selection: {eventName: ConsoleLogin}
                condition: selection
            level: low
            """.write(to: directory.appendingPathComponent("login.yml"), atomically: true, encoding: .utf8)
        try """
            {"rule": "2f5a0d1e-8c2b-4b7a-9d3e-1a2b3c4d5e6f", "cases": [
              {"name": "a login matches", "expect": "match", "event": {"eventName": "ConsoleLogin"}},
              {"name": "wrong on purpose", "expect": "match", "event": {"eventName": "GetObject"}}
            ]}
            """.write(to: directory.appendingPathComponent("login.fixtures.json"), atomically: true, encoding: .utf8)
        let result = FixtureReport.run(paths: [directory.path], includeBuiltin: false)
        #expect(result.passed == 1)
        #expect(result.failed == 1)
        #expect(result.exitCode == 1)
        #expect(result.text.contains("FAIL  Console login: wrong on purpose"))
        #expect(result.text.contains("expected a match, got no match"))
    }

    @Test func rulesShowRendersTheSeedPage() throws {
        let page = try RuleShow.page(for: Self.seedID, in: BuiltinPack.load()).get()
        for element in [
            "[sigma] [medium] [Hunting]", "Ingress/Egress Security Group Modification", "Detects when an account",
            "MITRE ATT&CK", "Initial Access (TA0001)", "T1190 Exploit Public-Facing Application", "Detection Query",
            "eventSource: 'ec2.amazonaws.com'", "condition: selection", "Author", "jamesc-grafana", "Created",
            "2024-07-11", "Data Sources", "awscloudtrail", "Platforms", "aws", "Tags", "attack.initial-access",
            "attack.t1190", "False Positives", "Administrators closing unused ports", "Filters That Apply",
            "successful calls only", "Raw Content", "level: medium",
        ] {
            #expect(page.contains(element), "missing: \(element)")
        }
        // By title too, case-insensitively; an unknown rule is a clear error.
        #expect((try? RuleShow.page(for: "ingress/egress security group modification", in: BuiltinPack.load()).get()) != nil)
        if case .failure(let error) = RuleShow.page(for: "no such rule", in: BuiltinPack.load()) {
            #expect(error.message.contains("no rule with id, name or title"))
        } else {
            Issue.record("an unknown rule must fail")
        }
    }
}
