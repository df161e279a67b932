import ArgumentParser
import Foundation
import Logging
import SigmaKit
import TrailwatchKit
import TrailwatchServer
import TrailwatchWatch

/// `trailwatch serve`: the detection catalog and the alerts as web pages and a JSON API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the detection catalog and the stored alerts as web pages and a JSON API.",
        discussion: [
            "Pages: / (Explore: search and filter every loaded detection), /detections/ID, /alerts, /alerts/ID. "
                + "API: /api/detections, /api/detections/ID, /api/alerts, /api/alerts/ID (PATCH to set the status), "
                + "POST /api/events (CloudTrail records, Records files or EventBridge events, JSON or gzip).",
            "Writes (POST /api/events, alert status) need 'Authorization: Bearer TOKEN' with --token or "
                + "TRAILWATCH_TOKEN; without either a random token is generated and printed at start.",
            "Alerts are kept in a SQLite file (--store), shared with 'trailwatch scan --store'.",
            "--watch DIR (or --watch s3://bucket/prefix --queue URL) runs 'trailwatch watch' in the same process, "
                + "with the same rules, delivering into the store. GET /healthz reports its health (503 once it "
                + "failed for good), GET /metrics the Prometheus metrics; neither needs the token.",
        ].joined(separator: "\n\n")
    )

    @Option(
        name: .customLong("rules"),
        help: ArgumentHelp("A rule file or directory to add (repeatable).", valueName: "path"))
    var ruleTrees: [String] = []

    @Flag(name: .customLong("no-builtin"), help: "Do not load the built-in detection pack.")
    var noBuiltin = false

    @Flag(name: .customLong("include-failed"), help: "Ingestion also reports failed security-group changes.")
    var includeFailed = false

    @Option(help: "Address to listen on (default 127.0.0.1: this machine only).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(
        help: ArgumentHelp(
            "The alert database (SQLite); :memory: keeps alerts in memory only. Default: \(AlertStore.defaultPath()).",
            valueName: "path"))
    var store: String?

    @Option(
        help: ArgumentHelp("Bearer token for writes (default: TRAILWATCH_TOKEN, else generated).", valueName: "token"))
    var token: String?

    @Option(
        name: .customLong("max-body"),
        help: ArgumentHelp("Largest request body accepted, in bytes.", valueName: "bytes"))
    var maxBody = 16 << 20

    @Option(
        help: ArgumentHelp(
            "Also watch this CloudTrail folder, or s3://bucket/prefix with --queue, delivering into the store.",
            valueName: "dir|s3-url"))
    var watch: String?

    @Option(
        help: ArgumentHelp("With --watch s3://…: the SQS queue URL of the bucket's notifications.", valueName: "url"))
    var queue: String?

    @Option(
        name: .customLong("endpoint-url"),
        help: ArgumentHelp("With --watch s3://…: one endpoint for S3 and SQS (LocalStack, MinIO).", valueName: "url"))
    var endpointURL: String?

    @Option(help: ArgumentHelp("With --watch s3://…: the AWS profile (~/.aws/credentials).", valueName: "name"))
    var profile: String?

    @Option(help: ArgumentHelp("With --watch s3://…: the AWS region (default: environment, profile, queue URL).",
                               valueName: "region"))
    var region: String?

    @Option(help: ArgumentHelp("With --watch: the checkpoint database (default as 'trailwatch watch').",
                               valueName: "path"))
    var checkpoint: String?

    func validate() throws {
        if noBuiltin && ruleTrees.isEmpty { throw ValidationError("--no-builtin needs at least one --rules path.") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535.") }
        if maxBody < 1024 { throw ValidationError("--max-body must be at least 1024 bytes.") }
        if let token, token.count < 16 { throw ValidationError("--token must be at least 16 characters.") }
        try validateWatchOptions()
    }

    func run() async throws {
        let environmentToken = ProcessInfo.processInfo.environment["TRAILWATCH_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let chosenToken = token ?? environmentToken
        let configuration = ServerConfiguration(
            hostname: host, port: port, ruleTrees: ruleTrees, useBuiltinPack: !noBuiltin, includeFailed: includeFailed,
            storePath: store ?? AlertStore.defaultPath(), token: chosenToken ?? ServerConfiguration.generateToken(),
            maxBodyBytes: maxBody)
        let started = Date()
        let site: Site
        let watcher: Watcher?
        let logger = Logger(label: "trailwatch.watch") { StderrLogHandler(label: $0) }
        do {
            let alertStore =
                configuration.storePath == ":memory:"
                ? try AlertStore() : try AlertStore(path: configuration.storePath)
            site = try await Site(configuration: configuration, store: alertStore)
            // Before the watcher: its metrics are made by the backend bootstrapped then.
            _ = Self.metricsRegistry
            watcher = try makeWatcher(store: alertStore, storePath: configuration.storePath, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(64)
        }
        let rejected = site.diagnostics.filter { $0.severity == .error }.count
        var notes: [String] = []
        if rejected > 0 { notes.append("\(rejected) documents rejected, see 'trailwatch rules lint'") }
        if !site.catalog.shadowed.isEmpty {
            notes.append("\(site.catalog.shadowed.count) rules skipped: same id as a rule loaded before")
        }
        let noteText = notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"
        try await runServing(site: site, configuration: configuration, watcher: watcher, logger: logger) {
            boundPort in
            let elapsed = String(format: "%.1f", Date().timeIntervalSince(started))
            var banner =
                "trailwatch serve: loaded \(site.catalog.summaries.count) detections in \(elapsed)s"
                + noteText
                + "; alerts in \(configuration.storePath)\n"
                + "listening on http://\(configuration.hostname):\(boundPort)/\n"
            if let watch { banner += "watching \(watch): alerts into the store, health at /healthz\n" }
            if chosenToken == nil {
                banner += "writes need the header: Authorization: Bearer \(configuration.token ?? "")\n"
            }
            FileHandle.standardError.write(Data(banner.utf8))
        }
    }
}
