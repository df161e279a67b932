import ArgumentParser
import Foundation
import SigmaKit
import TrailwatchKit

extension Trailwatch.Rules {
    /// `trailwatch rules test [PATH…]`
    public struct Test: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Run rule fixtures (true and false positive events) and report pass/fail per case.",
            discussion: """
                Runs every <rule>.fixtures.json of the built-in pack and of the given paths against the rules, \
                through the same index and filters as a scan. Prints PASS/FAIL per case with what differed. \
                Exit status 1 when any case fails. The fixture format is described in the pack's FIXTURES.md.
                """
        )

        @Argument(help: "Rule trees with fixtures to test in addition to the built-in pack.")
        public var paths: [String] = []

        @Flag(name: .customLong("no-builtin"), help: "Do not load or test the built-in pack.")
        public var noBuiltin = false

        public init() {}

        public func validate() throws {
            if noBuiltin && paths.isEmpty { throw ValidationError("--no-builtin needs at least one path.") }
        }

        public func run() throws {
            let result = FixtureReport.run(paths: paths, includeBuiltin: !noBuiltin)
            print(result.text, terminator: "")
            if result.exitCode != 0 { throw ExitCode(result.exitCode) }
        }
    }

    /// `trailwatch rules show ID|TITLE`
    public struct Show: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Show a detection's catalog page: badges, ATT&CK, query, metadata, filters, raw content.",
            discussion: "Looks the rule up by id, name or title (case-insensitive) in the built-in pack and --rules trees."
        )

        @Argument(help: "The rule's id, name or title.")
        public var rule: String

        @Option(name: .customLong("rules"), help: ArgumentHelp("A rule file or directory to search too (repeatable).", valueName: "path"))
        public var ruleTrees: [String] = []

        @Flag(name: .customLong("no-builtin"), help: "Do not search the built-in pack.")
        public var noBuiltin = false

        public init() {}

        public func run() throws {
            var collection = noBuiltin ? RuleCollection() : BuiltinPack.load()
            for tree in ruleTrees { collection.merge(RuleLoader().load(paths: [tree])) }
            switch RuleShow.page(for: rule, in: collection, useColor: isatty(STDOUT_FILENO) == 1) {
            case .success(let text):
                print(text, terminator: "")
            case .failure(let error):
                FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
