import Foundation
import SigmaKit

/// `trailwatch rules test`: runs the fixtures of the pack (and of any given trees) and renders the outcome.
public enum FixtureReport {
    public struct Result: Sendable {
        public var text: String
        public var passed: Int
        public var failed: Int
        public var exitCode: Int32 { failed > 0 ? 1 : 0 }
    }

    /// Loads the pack (unless `includeBuiltin` is false) plus `paths`, finds every `*.fixtures.json` in them and
    /// runs each case.
    public static func run(paths: [String], includeBuiltin: Bool, options: LoaderOptions = .init()) -> Result {
        var fixtureRoots: [String] = []
        if includeBuiltin, let directory = BuiltinPack.rulesDirectory?.path { fixtureRoots.append(directory) }
        fixtureRoots.append(contentsOf: paths)
        // One load, so that a correlation in `paths` can reference a pack rule (COR-20).
        let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
        var collection =
            (try? RuleSources.load(builtin: includeBuiltin, ruleTrees: existing, filterTrees: [], options: options))?
            .collection ?? RuleCollection()
        for path in paths where !existing.contains(path) {
            collection.diagnostics.append(
                Diagnostic(
                    severity: .error, code: "unreadable", message: "no such file or directory",
                    location: SourceLocation(path: path, line: 1, column: 1)))
        }
        var text = ""
        for diagnostic in collection.diagnostics where diagnostic.severity == .error { text += "\(diagnostic)\n" }
        let runner = FixtureRunner(collection: collection)
        var passed = 0
        var failed = 0
        let files = RuleFixtureFile.discover(in: fixtureRoots)
        for file in files {
            for outcome in runner.run(fixturePath: file) {
                if outcome.passed {
                    passed += 1
                    text += "PASS  \(outcome.ruleTitle): \(outcome.caseName)\n"
                } else {
                    failed += 1
                    text += "FAIL  \(outcome.ruleTitle): \(outcome.caseName)   [\(outcome.file)]\n"
                    for difference in outcome.differences { text += "        \(difference)\n" }
                }
            }
        }
        if files.isEmpty { text += "No fixture files (*.fixtures.json) found.\n" }
        // The plain closing line CI tools read.
        text += "\(passed) passed, \(failed) failed\n"
        return Result(text: text, passed: passed, failed: failed + (files.isEmpty ? 1 : 0))
    }
}
