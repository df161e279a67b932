import ArgumentParser
import Foundation
import SigmaKit
import TrailwatchKit
import TrailwatchServer

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
        ].joined(separator: "\n\n")
    )

    @Option(name: .customLong("rules"), help: ArgumentHelp("A rule file or directory to add (repeatable).", valueName: "path"))
    var ruleTrees: [String] = []

    @Flag(name: .customLong("no-builtin"), help: "Do not load the built-in detection pack.")
    var noBuiltin = false

    @Flag(name: .customLong("include-failed"), help: "Ingestion also reports failed security-group changes.")
    var includeFailed = false

    @Option(help: "Address to listen on (default 127.0.0.1: this machine only).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: ArgumentHelp(
        "The alert database (SQLite); :memory: keeps alerts in memory only. Default: \(AlertStore.defaultPath()).",
        valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("Bearer token for writes (default: TRAILWATCH_TOKEN, else generated).", valueName: "token"))
    var token: String?

    @Option(name: .customLong("max-body"), help: ArgumentHelp("Largest request body accepted, in bytes.", valueName: "bytes"))
    var maxBody = 16 << 20

    func validate() throws {
        if noBuiltin && ruleTrees.isEmpty { throw ValidationError("--no-builtin needs at least one --rules path.") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535.") }
        if maxBody < 1024 { throw ValidationError("--max-body must be at least 1024 bytes.") }
        if let token, token.count < 16 { throw ValidationError("--token must be at least 16 characters.") }
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
        do {
            let alertStore = configuration.storePath == ":memory:"
                ? try AlertStore() : try AlertStore(path: configuration.storePath)
            site = try await Site(configuration: configuration, store: alertStore)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(64)
        }
        let rejected = site.diagnostics.filter { $0.severity == .error }.count
        let loaded = "\(site.catalog.summaries.count) detections loaded"
            + (rejected > 0 ? ", \(rejected) documents rejected (see 'trailwatch rules lint')" : "")
            + (site.catalog.shadowed.isEmpty ? "" : ", \(site.catalog.shadowed.count) duplicate ids skipped")
        try await runServer(site: site, configuration: configuration) { boundPort in
            let elapsed = String(format: "%.1f", Date().timeIntervalSince(started))
            var banner = "trailwatch serve: \(loaded) in \(elapsed)s; alerts in \(configuration.storePath)\n"
                + "listening on http://\(configuration.hostname):\(boundPort)/\n"
            if chosenToken == nil {
                banner += "writes need the header: Authorization: Bearer \(configuration.token ?? "")\n"
            }
            FileHandle.standardError.write(Data(banner.utf8))
        }
    }
}
