import ArgumentParser
import Foundation
import SigmaKit
import TrailwatchKit
import TrailwatchServer

/// `trailwatch scan`: run detections over CloudTrail files, directories or stdin.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Run Sigma detections over CloudTrail logs and print the alerts.",
        discussion: [
            "Reads CloudTrail delivery files (.json, .json.gz, {\"Records\":[…]}), JSON arrays, single events and JSON "
                + "Lines (also Records batches and EventBridge envelopes), from files, directories (walked recursively; "
                + "the S3 layout AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/ is understood) or stdin (-).",
            "Runs the built-in detection pack plus any --rules trees. Alerts are printed newest first, like the seed "
                + "detection's query; failed calls (events with an errorCode) are excluded for the security-group "
                + "detection unless --include-failed is given.",
            "Exit status: 0 scan completed; 1 an alert at or above --fail-on-detection's level; 2 some inputs could "
                + "not be read (the rest was scanned); 64 usage or rule-loading error.",
        ].joined(separator: "\n\n")
    )

    @Argument(help: ArgumentHelp("Files, directories or glob patterns to scan; - reads stdin.", valueName: "path"))
    var paths: [String] = []

    @Option(name: .customLong("rules"), help: ArgumentHelp("A rule file or directory to add (repeatable).", valueName: "path"))
    var ruleTrees: [String] = []

    @Option(name: .customLong("filters"), help: ArgumentHelp("A directory of Sigma filter documents to apply (repeatable).", valueName: "path"))
    var filterTrees: [String] = []

    @Flag(name: .customLong("no-builtin"), help: "Do not load the built-in detection pack.")
    var noBuiltin = false

    @Flag(name: .customLong("include-failed"), help: "Also report failed security-group changes (events with an errorCode), marked as failed.")
    var includeFailed = false

    @Option(help: ArgumentHelp("Only events at or after this date (YYYY-MM-DD) or instant (RFC 3339).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Only events before the end of this date (YYYY-MM-DD) or before this instant.", valueName: "time"))
    var to: String?

    @Option(name: .customLong("account"), help: ArgumentHelp("Only this AWS account id (repeatable).", valueName: "id"))
    var accounts: [String] = []

    @Option(name: .customLong("region"), help: ArgumentHelp("Only this AWS region (repeatable).", valueName: "region"))
    var regions: [String] = []

    @Option(help: "Output format: table (a readable timeline), jsonl, json or csv. Default: table on a terminal, jsonl otherwise.")
    var format: OutputFormat?

    @Flag(name: .customLong("oldest-first"), help: "Print alerts oldest first (default: newest first).")
    var oldestFirst = false

    @Flag(name: .customLong("include-event"), help: "Include the whole CloudTrail event in JSON/JSONL output.")
    var includeEvent = false

    @Flag(name: .shortAndLong, help: "No progress or summary on stderr.")
    var quiet = false

    @Option(name: .customLong("fail-on-detection"), help: ArgumentHelp("Exit with status 1 when an alert at or above this level is found (informational, low, medium, high, critical).", valueName: "level"))
    var failOnDetection: Level?

    @Option(help: "Color: auto, always or never.")
    var color: ColorChoice = .auto

    @Option(help: "Number of files read in parallel (default: number of cores).")
    var workers: Int?

    @Option(name: .customLong("ignore-rule"), help: ArgumentHelp("Leave out this rule, correlation or filter, by id, name or title (repeatable).", valueName: "id"))
    var ignoreRules: [String] = []

    @Option(name: .customLong("ignore-file"), help: ArgumentHelp("A file of rule ids, names or titles to leave out, one per line; # starts a comment line.", valueName: "path"))
    var ignoreFile: String?

    @Option(name: .customLong("max-groups"), help: ArgumentHelp("Correlation groups kept in memory (default 200000); beyond, the least recently active are evicted and counted.", valueName: "n"))
    var maxGroups: Int?

    @Option(name: .customLong("max-group-events"), help: ArgumentHelp("Events kept per correlation group and window (default 1000); beyond, the oldest are evicted and counted.", valueName: "n"))
    var maxGroupEvents: Int?

    @Option(help: ArgumentHelp("Also store the alerts (with their events) in this SQLite database, shown by 'trailwatch serve' (whose default is \(AlertStore.defaultPath())).", valueName: "path"))
    var store: String?

    func validate() throws {
        if paths.isEmpty { throw ValidationError("Give at least one path to scan, or - for stdin.") }
        if noBuiltin && ruleTrees.isEmpty { throw ValidationError("--no-builtin needs at least one --rules path.") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1.") }
        if let maxGroups, maxGroups < 1 { throw ValidationError("--max-groups must be at least 1.") }
        if let maxGroupEvents, maxGroupEvents < 1 { throw ValidationError("--max-group-events must be at least 1.") }
    }

    func run() async throws {
        let isTerminal = isatty(STDOUT_FILENO) == 1
        let outputFormat = format ?? (isTerminal ? .table : .jsonl)
        let useColor = color == .always || (color == .auto && isTerminal && outputFormat == .table)
        var request = ScanRequest(paths: paths)
        request.ruleTrees = ruleTrees
        request.filterTrees = filterTrees
        request.useBuiltinPack = !noBuiltin
        request.includeFailed = includeFailed
        request.from = from
        request.to = to
        request.accounts = accounts
        request.regions = regions
        // The store keeps each alert's event for the alert page; the printed output still follows --include-event.
        request.includeEvent = includeEvent || store != nil
        request.workers = workers
        request.showProgress = !quiet && isatty(STDERR_FILENO) == 1
        request.ignore = IgnoreList(entries: ignoreRules)
        if let maxGroups { request.correlation.maxGroups = maxGroups }
        if let maxGroupEvents { request.correlation.maxEventsPerGroup = maxGroupEvents }
        var result: ScanResult
        do {
            if let ignoreFile { request.ignore.append(try IgnoreList.read(path: ignoreFile)) }
            result = try await Scanner.run(request)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(64)
        }
        if let store {
            do {
                let outcomes = try AlertStore(path: store).insert(result.alerts, source: "scan")
                if !quiet {
                    let added = outcomes.filter(\.isNew).count
                    FileHandle.standardError.write(Data("stored \(added) new alerts in \(store) (\(outcomes.count - added) already there)\n".utf8))
                }
            } catch {
                FileHandle.standardError.write(Data("error: cannot store alerts in \(store): \(error)\n".utf8))
                throw ExitCode(64)
            }
            if !includeEvent { result.alerts = result.alerts.map { var alert = $0; alert.rawEvent = nil; return alert } }
        }
        var output = StandardOutput()
        ScanPrinter(format: outputFormat, useColor: useColor, oldestFirst: oldestFirst).print(result, to: &output)
        output.flush()
        if !quiet {
            FileHandle.standardError.write(Data(ScanPrinter.report(result, useColor: isatty(STDERR_FILENO) == 1 && color != .never).utf8))
        }
        let status = result.exitStatus(failOn: failOnDetection)
        if status != 0 { throw ExitCode(Int32(status)) }
    }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

extension OutputFormat: ExpressibleByArgument {}
extension Level: ExpressibleByArgument {}

/// Buffered writes to stdout (alerts can be many).
struct StandardOutput: TextOutputStream {
    private var buffer = ""
    mutating func write(_ string: String) {
        buffer += string
        if buffer.utf8.count >= 1 << 16 { flush() }
    }
    mutating func flush() {
        FileHandle.standardOutput.write(Data(buffer.utf8))
        buffer = ""
    }
}
