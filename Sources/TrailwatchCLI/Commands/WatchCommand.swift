import ArgumentParser
import Dispatch
import Foundation
import Logging
import SigmaKit
import TrailwatchKit
import TrailwatchServer
import TrailwatchWatch

/// `trailwatch watch DIR`: continuous monitoring of a CloudTrail tree.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow a CloudTrail folder or S3 bucket: evaluate every new file once and deliver its alerts.",
        discussion: [
            "Watches DIR (the S3 layout kept in sync by `aws s3 sync`, a mounted bucket, a delivery pipeline) with "
                + "inotify, or by polling with --poll: every new .json, .json.gz or .jsonl.gz file is evaluated once, "
                + "and .jsonl files are followed as they grow (their new complete lines). Rules as in `scan`.",
            "With s3://bucket/prefix and --queue URL: reads the bucket's S3 event notifications (or CloudTrail's SNS "
                + "notifications) from SQS, fetches each new object and deletes the message once its alerts are "
                + "delivered. Credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else ~/.aws/credentials "
                + "(--profile or AWS_PROFILE); see docs/watch.md.",
            "A checkpoint (SQLite) records the files done, the alerts and how far each output got, so that a restart "
                + "or a crash neither loses nor repeats an alert: every alert has a stable alert_id, sent as "
                + "Idempotency-Key to webhooks; the --output file is exactly once.",
            "Output: JSON lines on stdout unless --output, --webhook or --store is given (--stdout adds it back). "
                + "Logs go to stderr. SIGTERM or SIGINT stops gracefully: the current file is finished and outputs "
                + "get up to --drain-timeout to deliver.",
            "Exit status: 0 stopped by a signal or (--once) done; 1 the watched folder or queue failed for good (bad "
                + "credentials, missing queue); 2 (--once) "
                + "some files could not be read (they are in the checkpoint with their error); 64 usage, rule or "
                + "setup error (bad rules, checkpoint or output that cannot be opened).",
        ].joined(separator: "\n\n")
    )

    @Argument(help: ArgumentHelp("The folder to watch, or s3://bucket/prefix with --queue.", valueName: "dir|s3-url"))
    var directory: String

    @Option(
        help: ArgumentHelp("With s3://bucket/prefix: the SQS queue URL the bucket's notifications go to.",
                           valueName: "url"))
    var queue: String?

    @Option(
        name: .customLong("endpoint-url"),
        help: ArgumentHelp(
            "One endpoint for S3 and SQS instead of AWS (LocalStack, MinIO, moto; default AWS_ENDPOINT_URL).",
            valueName: "url"))
    var endpointURL: String?

    @Option(help: ArgumentHelp("The AWS profile (~/.aws/credentials, ~/.aws/config).", valueName: "name"))
    var profile: String?

    @Option(
        help: ArgumentHelp(
            "The AWS region (default: AWS_REGION, the profile's, the queue URL's).", valueName: "region"))
    var region: String?

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
        help: "Also report failed security-group changes (events with an errorCode).")
    var includeFailed = false

    @Flag(name: .customLong("include-event"), help: "Include the whole CloudTrail event in each alert.")
    var includeEvent = false

    @Option(
        name: .customLong("ignore-rule"),
        help: ArgumentHelp("Leave out this rule, correlation or filter (repeatable).", valueName: "id"))
    var ignoreRules: [String] = []

    @Option(
        name: .customLong("ignore-file"),
        help: ArgumentHelp("A file of rule ids, names or titles to leave out.", valueName: "path"))
    var ignoreFile: String?

    @Option(
        name: .customLong("max-lateness"),
        help: ArgumentHelp(
            "How late an event may arrive and still count in correlations (e.g. 900s, 15m, 1h; default 15m).",
            valueName: "duration"))
    var maxLateness: String?

    @Option(
        help: ArgumentHelp(
            "Skip events before this date (YYYY-MM-DD) or instant (RFC 3339).", valueName: "time"))
    var from: String?

    @Option(
        help: ArgumentHelp(
            "The checkpoint database (default: ~/.local/state/trailwatch/watch-<hash of dir>.sqlite).",
            valueName: "path"))
    var checkpoint: String?

    @Flag(help: "Evaluate what is there now, deliver it, and exit.")
    var once = false

    @Flag(help: "Poll the folder instead of using inotify.")
    var poll = false

    @Option(
        name: .customLong("poll-interval"),
        help: ArgumentHelp("Seconds between two looks when polling.", valueName: "seconds"))
    var pollInterval: Double = 1

    @Flag(help: "Also print alerts on stdout when other outputs are given.")
    var stdout = false

    @Option(
        help: ArgumentHelp(
            "Alerts on stdout: jsonl (with alert_id) or table (the timeline of scan). Default: table on a "
                + "terminal, jsonl otherwise."))
    var format: StandardOutputSink.Format?

    @Option(help: ArgumentHelp("Append alerts to this JSON Lines file (exactly once, rotated).", valueName: "file"))
    var output: String?

    @Option(
        name: .customLong("rotate-size"),
        help: ArgumentHelp("Rotate --output at this size in MB.", valueName: "MB"))
    var rotateSize: Double = 100

    @Option(name: .customLong("rotate-keep"), help: ArgumentHelp("Rotated files kept.", valueName: "n"))
    var rotateKeep = 5

    @Option(help: ArgumentHelp("POST each alert to this URL (repeatable).", valueName: "url"))
    var webhook: [String] = []

    @Option(
        name: .customLong("webhook-format"),
        help: "Webhook body: generic (the alert's JSON) or slack ({\"text\": …}).")
    var webhookFormat: WebhookSink.Format = .generic

    @Option(
        name: .customLong("webhook-timeout"),
        help: ArgumentHelp("Seconds allowed for one webhook request.", valueName: "seconds"))
    var webhookTimeout: Double = 10

    @Option(
        name: .customLong("webhook-retries"),
        help: ArgumentHelp(
            "Retries of a failed webhook request, with exponential backoff (8: about 4 minutes).",
            valueName: "n"))
    var webhookRetries = 8

    @Option(
        name: .customLong("webhook-retry-delay"),
        help: ArgumentHelp("First backoff delay in seconds, doubled at each retry.", valueName: "seconds"))
    var webhookRetryDelay: Double = 1

    @Option(
        name: .customLong("dead-letter"),
        help: ArgumentHelp("Append alerts a webhook never accepted to this JSON Lines file.", valueName: "file"))
    var deadLetter: String?

    @Option(
        help: ArgumentHelp(
            "Also store alerts in this SQLite alert store, shown by 'trailwatch serve'.", valueName: "path"))
    var store: String?

    @Option(
        name: .customLong("drain-timeout"),
        help: ArgumentHelp("Seconds outputs may go on delivering after SIGTERM.", valueName: "seconds"))
    var drainTimeout: Double = 10

    @Flag(name: .shortAndLong, help: "Log only warnings and errors.")
    var quiet = false

    @Option(
        name: .customLong("log-level"),
        help: "Log level: trace, debug, info, notice, warning, error, critical (default info).")
    var logLevel: Logger.Level?

    func validate() throws {
        if noBuiltin && ruleTrees.isEmpty { throw ValidationError("--no-builtin needs at least one --rules path.") }
        if pollInterval <= 0 { throw ValidationError("--poll-interval must be positive.") }
        if rotateSize <= 0 { throw ValidationError("--rotate-size must be positive.") }
        if rotateKeep < 1 { throw ValidationError("--rotate-keep must be at least 1.") }
        if webhookTimeout <= 0 { throw ValidationError("--webhook-timeout must be positive.") }
        if webhookRetries < 0 { throw ValidationError("--webhook-retries must be 0 or more.") }
        if let maxLateness, WatchCommand.seconds(maxLateness) == nil {
            throw ValidationError("--max-lateness '\(maxLateness)' is not a duration (900, 900s, 15m, 1h).")
        }
    }

    /// Seconds from `900`, `900s`, `15m` or `1h`.
    static func seconds(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600]
        if let unit = text.last.flatMap({ units[$0] }), let value = Int64(text.dropLast()), value >= 0 {
            return value * unit
        }
        return Int64(text).flatMap { $0 >= 0 ? $0 : nil }
    }

    func run() async throws {
        let level = logLevel ?? (quiet ? .warning : .info)
        let logger = Logger(label: "trailwatch.watch") { StderrLogHandler(label: $0, level: level) }
        var configuration = WatchConfiguration(root: directory)
        var rules = ScanRequest(paths: [])
        rules.ruleTrees = ruleTrees
        rules.filterTrees = filterTrees
        rules.useBuiltinPack = !noBuiltin
        rules.includeFailed = includeFailed
        rules.includeEvent = includeEvent || store != nil
        rules.ignore = IgnoreList(entries: ignoreRules)
        if let maxLateness, let seconds = WatchCommand.seconds(maxLateness) {
            rules.correlation.maxLatenessMillis = seconds * 1000
        }
        configuration.from = from
        configuration.checkpointPath = checkpoint
        configuration.once = once
        configuration.source.forcePolling = poll
        configuration.source.pollInterval = pollInterval
        configuration.stdout = stdout
        let isTerminal = isatty(STDOUT_FILENO) == 1
        configuration.stdoutFormat = format ?? (isTerminal ? .table : .jsonl)
        configuration.stdoutColor = isTerminal && configuration.stdoutFormat == .table
        configuration.outputPath = output
        configuration.rotateSize = Int64(rotateSize * 1_000_000)
        configuration.rotateKeep = rotateKeep
        configuration.webhooks = webhook
        configuration.webhookFormat = webhookFormat
        configuration.webhookPolicy.timeout = webhookTimeout
        configuration.webhookPolicy.retries = webhookRetries
        configuration.webhookPolicy.baseDelay = webhookRetryDelay
        configuration.deadLetterPath = deadLetter
        configuration.drainTimeout = .milliseconds(Int64(drainTimeout * 1000))
        let watcher: Watcher
        do {
            if let ignoreFile { rules.ignore.append(try IgnoreList.read(path: ignoreFile)) }
            configuration.rules = rules
            configuration.s3 = try S3QueueSource.settings(
                target: directory, queueURL: queue, endpointURL: endpointURL, profile: profile, region: region)
            let extra: [any AlertSink] = try store.map { [try AlertStoreSink(path: $0)] } ?? []
            watcher = try configuration.makeWatcher(logger: logger, extraSinks: extra)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(64)
        }
        logger.info(
            "watching",
            metadata: [
                "dir": "\(directory)",
                "checkpoint": "\(checkpoint ?? WatchConfiguration.defaultCheckpointPath(root: directory))",
                "mode": "\(configuration.s3 != nil ? "sqs" : once ? "once" : poll ? "polling" : "inotify")",
            ])
        let signals = SignalTrap(signals: [SIGTERM, SIGINT]) { signal in
            logger.notice("stopping", metadata: ["signal": "\(signal)"])
            watcher.stop()
        }
        defer { signals.cancel() }
        do {
            try await watcher.run()
        } catch {
            logger.critical("watch failed", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        let status = watcher.status
        logger.info(
            "stopped",
            metadata: [
                "items": "\(status.items)", "events": "\(status.events)", "alerts": "\(status.alerts)",
                "failed_items": "\(status.failedItems)",
            ])
        if once && status.failedItems > 0 { throw ExitCode(2) }
    }
}

extension WebhookSink.Format: ExpressibleByArgument {}
extension StandardOutputSink.Format: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Turns SIGTERM/SIGINT into a call (the default action, ending the process at once, is replaced).
final class SignalTrap {
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        // A parent may have spawned us with these signals blocked (a mask is inherited): unblock them here.
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
