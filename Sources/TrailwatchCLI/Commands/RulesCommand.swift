import ArgumentParser
import Foundation
import SigmaKit

extension RulesOutputFormat: ExpressibleByArgument {}

extension Trailwatch {
    /// `trailwatch rules`: work with Sigma rule files.
    public struct Rules: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "Check, list, test and show Sigma rules.",
            subcommands: [Lint.self, List.self, Test.self, Show.self]
        )

        public init() {}
    }
}

/// Options shared by the `rules` subcommands.
public struct RuleSourceOptions: ParsableArguments {
    @Argument(help: "Rule files or directories; directories are searched recursively for .yml and .yaml files.")
    public var paths: [String]

    @Option(name: .long, help: "Output format: 'text' (one line per item) or 'json'.")
    public var format: RulesOutputFormat = .text

    @Option(
        name: .customLong("placeholder"),
        help: ArgumentHelp(
            "A value for a %name% placeholder used with |expand, as NAME=VALUE (repeat for several values).",
            valueName: "name=value"))
    public var placeholders: [String] = []

    @Flag(help: "Let placeholders without a configured value match anything instead of rejecting the rule.")
    public var placeholdersAsWildcard = false

    public init() {}

    public func validate() throws {
        for entry in placeholders where !entry.contains("=") || entry.hasPrefix("=") {
            throw ValidationError("--placeholder expects NAME=VALUE, got '\(entry)'")
        }
    }

    /// The loader options these flags describe.
    public var loaderOptions: LoaderOptions {
        var values: [String: [String]] = [:]
        for entry in placeholders {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            values[String(entry[..<equals]), default: []].append(String(entry[entry.index(after: equals)...]))
        }
        return LoaderOptions(
            placeholders: PlaceholderValues(values: values, unresolvedAsWildcard: placeholdersAsWildcard))
    }
}

extension Trailwatch.Rules {
    /// `trailwatch rules lint PATH…`
    public struct Lint: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Load rule files and report every error and warning.",
            discussion: """
                Prints one line per problem, 'path:line:col: error|warning: message [code]', then a summary. \
                Exits with 1 when a document was rejected (or, with --strict, when there is any warning).
                """
        )

        @OptionGroup public var source: RuleSourceOptions

        @Flag(help: "Fail (exit 1) on warnings too, not only on rejected documents.")
        public var strict = false

        public init() {}

        public func run() throws {
            let report = RulesReport.lint(
                paths: source.paths, format: source.format, strict: strict, options: source.loaderOptions)
            try emit(report)
        }
    }

    /// `trailwatch rules list PATH…`
    public struct List: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "List the rules, correlations and filters that load: id, level, status, title, logsource.",
            discussion: "Documents that fail to load are reported on standard error; the exit code is then 1."
        )

        @OptionGroup public var source: RuleSourceOptions

        public init() {}

        public func run() throws {
            try emit(RulesReport.list(paths: source.paths, format: source.format, options: source.loaderOptions))
        }
    }
}

/// Prints a report; a non-zero exit code is thrown as ArgumentParser's `ExitCode`.
private func emit(_ report: RulesReport) throws {
    print(report.output, terminator: "")
    if !report.errorOutput.isEmpty {
        FileHandle.standardError.write(Data(report.errorOutput.utf8))
    }
    if report.exitCode != 0 {
        throw ExitCode(report.exitCode)
    }
}
