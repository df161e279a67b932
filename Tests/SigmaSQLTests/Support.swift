import Foundation
import SigmaKit
import SigmaSQL
import Testing

/// Paths of the test fixtures in the source tree (golden files are re-recorded there with `RECORD_GOLDEN=1`).
enum Fixtures {
    /// `Tests/SigmaSQLTests/Fixtures`.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures", isDirectory: true)
    /// The package root.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// The built-in pack's CloudTrail rules (the seed rule and its filter live there).
    static let packDirectory = packageRoot.appendingPathComponent(
        "Sources/TrailwatchKit/Resources/rules/aws/cloudtrail")

    /// The source options the golden files use (CloudTrail Lake needs a table: the event data store id).
    static func source(for target: SQLTarget) -> SQLSourceOptions {
        SQLSourceOptions(table: target == .cloudTrailLake ? "eds" : nil)
    }

    /// The rule fixture files, sorted.
    static var ruleFiles: [String] {
        let rules = directory.appendingPathComponent("rules").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: rules)) ?? []
        return names.filter { $0.hasSuffix(".yml") }.sorted()
    }

    /// Loads YAML files, labelling locations with `label/<name>` so messages do not depend on the checkout path.
    static func load(_ files: [URL], label: String) throws -> RuleCollection {
        var collection = RuleCollection()
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            collection.merge(RuleLoader().load(yaml: text, path: "\(label)/\(file.lastPathComponent)"))
        }
        return collection
    }

    /// Loads one rule fixture file.
    static func loadRuleFile(_ name: String) throws -> RuleCollection {
        try load([directory.appendingPathComponent("rules").appendingPathComponent(name)], label: "rules")
    }

    /// The seed rule and its pack filter, as the pack ships them.
    static func loadSeed() throws -> RuleCollection {
        try load(
            [
                packDirectory.appendingPathComponent("aws_cloudtrail_security_group_change_ingress_egress.yml"),
                packDirectory.appendingPathComponent("filter_security_group_change_successful_only.yml"),
            ], label: "pack")
    }

    /// Compares `actual` with the golden file, or writes it when `RECORD_GOLDEN=1`.
    static func expectGolden(
        _ actual: String, _ relativePath: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let url = directory.appendingPathComponent("golden").appendingPathComponent(relativePath)
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try? FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record(
                "golden file \(relativePath) is missing; run with RECORD_GOLDEN=1", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "differs from golden/\(relativePath)", sourceLocation: sourceLocation)
    }
}
