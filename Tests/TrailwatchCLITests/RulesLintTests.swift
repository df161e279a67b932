import ArgumentParser
import Foundation
import SigmaKit
import Testing

@testable import TrailwatchCLI

/// `trailwatch rules lint` and `trailwatch rules list`, through the report functions and the parsed commands.
struct RulesLintTests {
    /// A temporary rule tree: one good rule, one with a warning (no id), one broken.
    static func makeTree() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let good = """
            title: Console login
            id: 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d
            status: test
            level: medium
            logsource: {product: aws, service: cloudtrail}
            detection:
                sel: {eventName: ConsoleLogin}
                condition: sel
            """
        let warned = """
            title: Root usage without id
            level: high
            logsource: {product: aws, service: cloudtrail}
            detection:
                sel: {userIdentity.type: Root}
                condition: sel
            """
        try good.write(to: dir.appendingPathComponent("aws_console_login.yml"), atomically: true, encoding: .utf8)
        try warned.write(to: dir.appendingPathComponent("aws_root_usage.yml"), atomically: true, encoding: .utf8)
        return dir.path
    }

    static func addBroken(to dir: String) throws {
        try "title: broken\nlogsource: {product: aws}\ndetection:\n    sel: {a: 1, a: 2}\n    condition: sel\n"
            .write(toFile: dir + "/zz_broken_rule.yml", atomically: true, encoding: .utf8)
    }

    @Test func lintPrintsOneLinePerProblemAndASummary() throws {
        let dir = try Self.makeTree()
        try Self.addBroken(to: dir)
        let report = RulesReport.lint(paths: [dir])
        let lines = report.output.split(separator: "\n").map(String.init)
        #expect(report.exitCode == 1)
        #expect(
            lines.contains(
                "\(dir)/aws_root_usage.yml:1:1: warning: 'Root usage without id' has no 'id'; "
                    + "add a UUID so it can be referenced [missing-id]"
            ))
        #expect(
            lines.contains {
                $0.hasPrefix("\(dir)/zz_broken_rule.yml:4:17: error: duplicate key 'a'")
                    && $0.hasSuffix("[duplicate-key]")
            })
        #expect(
            lines.last
                == "3 files read: 2 rules, 0 correlations, 0 filters loaded; 1 document rejected, 1 error, 1 warning")
    }

    @Test func warningsOnlyFailWithStrict() throws {
        let dir = try Self.makeTree()
        #expect(RulesReport.lint(paths: [dir]).exitCode == 0)
        #expect(RulesReport.lint(paths: [dir], strict: true).exitCode == 1)
    }

    @Test func lintJSON() throws {
        let dir = try Self.makeTree()
        try Self.addBroken(to: dir)
        let report = RulesReport.lint(paths: [dir], format: .json)
        let json = try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any]
        let summary = try #require(json?["summary"] as? [String: Int])
        #expect(summary["rules"] == 2 && summary["documentsRejected"] == 1 && summary["warnings"] == 1)
        let diagnostics = try #require(json?["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 2)
        #expect(diagnostics.contains { $0["code"] as? String == "duplicate-key" && $0["line"] as? Int == 4 })
    }

    @Test func listIsAlignedAndHasJSON() throws {
        let dir = try Self.makeTree()
        let report = RulesReport.list(paths: [dir])
        let lines = report.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d  medium  test    Console login"))
        #expect(lines[0].hasSuffix("product=aws service=cloudtrail"))
        #expect(lines[1].hasPrefix("-                                     high    -       Root usage without id"))
        // Columns line up: the title starts at the same offset on every line.
        #expect(
            Set(
                lines.map {
                    $0.firstRange(of: "Root")?.lowerBound.utf16Offset(in: $0)
                        ?? $0.firstRange(of: "Console")!.lowerBound.utf16Offset(in: $0)
                }
            ).count == 1)
        #expect(report.exitCode == 0)

        let json = RulesReport.list(paths: [dir], format: .json)
        let rows = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
        #expect(rows?.count == 2)
        #expect(rows?.first?["id"] as? String == "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d")
        #expect((rows?.first?["logsource"] as? [String: Any])?["service"] as? String == "cloudtrail")
    }

    @Test func listReportsLoadErrorsOnStandardError() throws {
        let dir = try Self.makeTree()
        try Self.addBroken(to: dir)
        let report = RulesReport.list(paths: [dir])
        #expect(report.exitCode == 1)
        #expect(report.errorOutput.contains("zz_broken_rule.yml:4:17: error: duplicate key"))
    }

    // MARK: Through ArgumentParser

    @Test func lintCommandParses() throws {
        let command = try Trailwatch.parseAsRoot([
            "rules", "lint", "a", "b", "--format", "json", "--strict",
            "--placeholder", "Admins=adm_*", "--placeholder", "Admins=root",
        ])
        let lint = try #require(command as? Trailwatch.Rules.Lint)
        #expect(lint.source.paths == ["a", "b"])
        #expect(lint.source.format == .json)
        #expect(lint.strict)
        #expect(lint.source.loaderOptions.placeholders.values == ["Admins": ["adm_*", "root"]])
    }

    @Test func lintCommandRunsAndFailsOnRejectedDocuments() throws {
        let dir = try Self.makeTree()
        var ok = try Trailwatch.parseAsRoot(["rules", "lint", dir])
        try ok.run()
        try Self.addBroken(to: dir)
        var failing = try Trailwatch.parseAsRoot(["rules", "lint", dir])
        #expect(throws: ExitCode.self) { try failing.run() }
    }

    @Test func listCommandParses() throws {
        let command = try Trailwatch.parseAsRoot(["rules", "list", "x", "--format", "json"])
        let list = try #require(command as? Trailwatch.Rules.List)
        #expect(list.source.format == .json)
        #expect(throws: (any Error).self) { try Trailwatch.parseAsRoot(["rules", "lint", "x", "--format", "yaml"]) }
        #expect(throws: (any Error).self) {
            try Trailwatch.parseAsRoot(["rules", "lint", "x", "--placeholder", "novalue"])
        }
    }

    @Test func helpExplainsEveryOption() {
        func flat(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let help = flat(Trailwatch.helpMessage(for: Trailwatch.Rules.Lint.self))
        for fragment in [
            "--format", "'text'", "--strict", "Fail (exit 1) on warnings", "--placeholder",
            "--placeholders-as-wildcard", "directories are searched recursively",
        ] {
            #expect(help.contains(fragment), "missing \(fragment) in\n\(help)")
        }
        #expect(
            flat(Trailwatch.helpMessage(for: Trailwatch.Rules.List.self)).contains(
                "id, level, status, title, logsource"))
    }
}
