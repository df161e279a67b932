import ArgumentParser
import Foundation
import SigmaKit
import SigmaSQL
import TrailwatchKit

extension SQLTarget: ExpressibleByArgument {}

/// Output formats of `trailwatch convert`.
enum ConvertOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case sql, json
}

/// `trailwatch convert`: the rules as SQL for Athena/Trino, CloudTrail Lake, Spark SQL or DuckDB.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert Sigma rules to SQL for Athena/Trino, CloudTrail Lake, Spark SQL or DuckDB.",
        discussion: [
            "Converts the built-in detection pack plus any --rules trees, one query per rule (or one --combined "
                + "query returning the matched rule ids per event). Queries keep Sigma's semantics (case-insensitive "
                + "values, wildcards, null and missing fields, arrays, filters) for the table layout of each target; "
                + "docs/convert.md gives the table DDL or read call each target expects.",
            "DuckDB reads delivery files directly with --input: "
                + "trailwatch convert --target duckdb --input 'AWSLogs/**/*.json.gz' | duckdb",
            "A rule that has no faithful translation for the target is reported on stderr, naming the construct; "
                + "the other rules are still converted. Exit status: 0 every rule converted; 1 some rules could not "
                + "be converted; 64 usage or rule-loading error.",
        ].joined(separator: "\n\n")
    )

    @Option(
        help: ArgumentHelp("Engine and table layout: athena, cloudtrail-lake, spark or duckdb.", valueName: "target"))
    var target: SQLTarget = .athena

    @Option(
        name: .customLong("rules"),
        help: ArgumentHelp("A rule file or directory to add (repeatable).", valueName: "path"))
    var ruleTrees: [String] = []

    @Option(
        name: .customLong("filters"),
        help: ArgumentHelp("A directory of Sigma filter documents to apply (repeatable).", valueName: "path"))
    var filterTrees: [String] = []

    @Flag(name: .customLong("no-builtin"), help: "Do not load the built-in detection pack.")
    var noBuiltin = false

    @Flag(
        name: .customLong("include-failed"),
        help: "Do not apply the pack's successful-calls-only filter to the security-group detection.")
    var includeFailed = false

    @Option(
        name: .customLong("rule"),
        help: ArgumentHelp("Convert only this rule (id, name or title; repeatable).", valueName: "rule"))
    var selection: [String] = []

    @Flag(help: "One query for all rules, returning the ids of the rules each event matches.")
    var combined = false

    @Option(help: "Output format: sql (queries separated by ;) or json (rule id, title, dialect, query, warnings).")
    var format: ConvertOutputFormat = .sql

    @Option(
        help: ArgumentHelp(
            "Table or view to query (default: cloudtrail_logs for athena, cloudtrail_events for spark and duckdb; "
                + "the event data store id for cloudtrail-lake).", valueName: "name"))
    var table: String?

    @Option(
        help: ArgumentHelp(
            "DuckDB only: delivery files to read (a path or glob) instead of a table.", valueName: "path"))
    var input: String?

    func validate() throws {
        if noBuiltin && ruleTrees.isEmpty { throw ValidationError("--no-builtin needs at least one --rules path.") }
        if input != nil && target != .duckdb { throw ValidationError("--input is for --target duckdb only.") }
        if input != nil && table != nil { throw ValidationError("give --input or --table, not both.") }
        if target == .cloudTrailLake && table == nil {
            throw ValidationError("--target cloudtrail-lake needs --table with the event data store id.")
        }
    }

    func run() throws {
        var request = ScanRequest(paths: [])
        request.ruleTrees = ruleTrees
        request.filterTrees = filterTrees
        request.useBuiltinPack = !noBuiltin
        let collection: RuleCollection
        do {
            collection = try Scanner.loadRules(request)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(64)
        }
        for diagnostic in collection.diagnostics where diagnostic.severity == .error {
            FileHandle.standardError.write(Data("\(diagnostic)\n".utf8))
        }
        let converter = SQLConverter(target: target, source: SQLSourceOptions(table: table, input: input))
        let results = converter.convert(
            collection: collection, combined: combined,
            disabledFilters: includeFailed ? [BuiltinPack.successfulCallsFilterID] : [], selection: Set(selection))
        if !selection.isEmpty && results.isEmpty {
            let names = selection.joined(separator: ", ")
            FileHandle.standardError.write(Data("error: no loaded rule matches --rule \(names)\n".utf8))
            throw ExitCode(64)
        }
        var failed = false
        for result in results {
            switch result {
            case .failed(let error):
                failed = true
                FileHandle.standardError.write(Data("\(error)\n".utf8))
            case .setAside(let id, let title, let reason):
                FileHandle.standardError.write(Data("note: '\(title)' (\(id)) not converted: \(reason)\n".utf8))
            case .converted:
                break
            }
        }
        let text = format == .sql ? ConversionResult.sqlScript(results) : Self.jsonText(results)
        FileHandle.standardOutput.write(Data(text.utf8))
        if failed { throw ExitCode(1) }
    }

    /// A JSON array: `{ruleId, title, kind, dialect, target, query, warnings}` per converted rule and
    /// `{ruleId, title, dialect, target, error}` per rule that could not be converted.
    static func jsonText(_ results: [ConversionResult]) -> String {
        var records: [JSONRecord] = []
        for result in results {
            switch result {
            case .converted(let query):
                records.append(.object([
                    ("ruleId", .string(query.ruleID)), ("title", .string(query.title)),
                    ("kind", .string(query.kind.rawValue)),
                    ("dialect", .string(query.target.dialect.name)), ("target", .string(query.target.rawValue)),
                    ("query", .string(query.sql)), ("warnings", .array(query.warnings.map(JSONRecord.string))),
                ]))
            case .failed(let error):
                records.append(.object([
                    ("ruleId", .string(error.ruleID ?? error.ruleTitle)), ("title", .string(error.ruleTitle)),
                    ("dialect", .string(error.target.dialect.name)), ("target", .string(error.target.rawValue)),
                    ("error", .string(error.description)),
                ]))
            case .setAside:
                break
            }
        }
        return JSONRecord.array(records).rendered() + "\n"
    }
}
