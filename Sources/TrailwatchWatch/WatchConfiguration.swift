import CloudTrail
import Foundation
import Logging
import TrailwatchKit

/// Everything `trailwatch watch DIR` is told, and how it becomes a running ``Watcher``.
public struct WatchConfiguration: Sendable {
    /// The watched folder.
    public var root: String
    /// Rules as `scan` loads them (pack, `--rules`, `--filters`, ignore lists, `--include-failed`,
    /// `--include-event`, correlation options such as the lateness bound).
    public var rules: ScanRequest
    /// Events (and whole files) before this instant are skipped (`--from`, as `scan` parses it).
    public var from: String?
    /// The checkpoint database; nil: ``defaultCheckpointPath(root:environment:)``.
    public var checkpointPath: String?
    public var source = DirectorySource.Options()
    public var once = false
    /// Sinks: standard output, a JSON Lines file, webhooks, extra sinks (the alert store, given by the caller).
    public var stdout = false
    public var stdoutFormat = StandardOutputSink.Format.jsonl
    public var stdoutColor = false
    public var outputPath: String?
    public var rotateSize: Int64 = 100 << 20
    public var rotateKeep = 5
    public var webhooks: [String] = []
    public var webhookFormat = WebhookSink.Format.generic
    public var webhookPolicy = WebhookSink.Policy()
    public var deadLetterPath: String?
    public var drainTimeout: Duration = .seconds(10)
    /// Set when the target is `s3://bucket/prefix`: objects announced on an SQS queue instead of a folder
    /// (see `S3QueueSource.settings(target:…)`).
    public var s3: S3QueueSource.Settings?

    public init(root: String, rules: ScanRequest = ScanRequest(paths: [])) {
        self.root = root
        self.rules = rules
    }

    /// `$XDG_STATE_HOME/trailwatch/watch-<hash of the absolute root>.sqlite`, else under `~/.local/state`.
    public static func defaultCheckpointPath(
        root: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        // An S3 location is hashed as written: it is no path relative to the working directory.
        let absolute = S3QueueSource.isS3Location(root) ? root : URL(fileURLWithPath: root).standardizedFileURL.path
        var hash = StableHash()
        hash.combine(absolute)
        let base: String
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            base = state
        } else {
            base = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        }
        return base + "/trailwatch/watch-" + hash.hex.prefix(16) + ".sqlite"
    }

    static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// Opens the checkpoint, loads the rules and builds the source, the sinks and the watcher.
    /// - Parameter extraSinks: sinks the caller adds (the alert store of `serve`, which lives in another module).
    /// - Throws: ``WatchError`` naming what is wrong (rules, dates, files that cannot be opened).
    public func makeWatcher(
        logger: Logger, metrics: WatchMetrics = WatchMetrics(), extraSinks: [any AlertSink] = []
    ) throws(WatchError) -> Watcher {
        var fromMillis: Int64?
        if let from {
            guard let bound = InputOptions.parseTimeBound(from, isUpperBound: false) else {
                throw WatchError("--from '\(from)' is not a date (YYYY-MM-DD) or an RFC 3339 instant")
            }
            fromMillis = bound
        }
        try checkSource()
        for (option, path) in [("--output", outputPath), ("--dead-letter", deadLetterPath)] {
            guard let path else { continue }
            // Said now, with the option's name, rather than when the first alert is delivered.
            guard FileManager.default.isWritableFile(atPath: path)
                || (!FileManager.default.fileExists(atPath: path)
                    && FileManager.default.isWritableFile(atPath: Self.folder(of: path)))
            else { throw WatchError("\(option) \(path): cannot write there (missing folder or no permission)") }
        }
        let evaluator = try ItemEvaluator(request: rules, from: fromMillis)
        let checkpoint = try Checkpoint(path: checkpointPath ?? Self.defaultCheckpointPath(root: root))
        let source = try makeSource(checkpoint: checkpoint, logger: logger)
        var sinks: [any AlertSink] = []
        if let outputPath {
            sinks.append(JSONLinesFileSink(path: outputPath, rotateSize: rotateSize, keep: rotateKeep))
        }
        let deadLetter = deadLetterPath.map(DeadLetterFile.init(path:))
        for url in webhooks {
            guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme),
                parsed.host != nil
            else { throw WatchError("--webhook '\(url)' is not an http(s) URL") }
            sinks.append(
                WebhookSink(
                    url: url, format: webhookFormat, policy: webhookPolicy, deadLetter: deadLetter, logger: logger,
                    metrics: metrics))
        }
        sinks += extraSinks
        if stdout || sinks.isEmpty {
            sinks.insert(StandardOutputSink(format: stdoutFormat, useColor: stdoutColor), at: 0)
        }
        var options = Watcher.Options()
        options.once = once
        options.drainTimeout = drainTimeout
        return Watcher(
            source: source, evaluator: evaluator, checkpoint: checkpoint, sinks: sinks, options: options,
            logger: logger, metrics: metrics)
    }
}
