import ArgumentParser
import CoreMetrics
import Foundation
import Logging
import Prometheus
import TrailwatchKit
import TrailwatchServer
import TrailwatchWatch

/// `serve --watch DIR` / `serve --watch s3://bucket/prefix --queue URL`: a watcher in the server's process.
extension ServeCommand {
    /// The Prometheus registry behind `/metrics`, bootstrapped as the process's swift-metrics backend on first
    /// use: a static `let` runs once per process, and `MetricsSystem.bootstrap` must not run twice.
    static let metricsRegistry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// The watch options fit together: AWS options only with `--watch s3://…`, which needs `--queue`.
    func validateWatchOptions() throws {
        guard let watch else {
            if queue != nil || endpointURL != nil || profile != nil || region != nil || checkpoint != nil {
                throw ValidationError("--queue, --endpoint-url, --profile, --region and --checkpoint need --watch.")
            }
            return
        }
        do {
            _ = try S3QueueSource.settings(
                target: watch, queueURL: queue, endpointURL: endpointURL, profile: profile, region: region)
        } catch {
            throw ValidationError(error.message + ".")
        }
    }

    /// The watcher `--watch` asks for, delivering into `store`, with serve's rules; nil without `--watch`.
    /// - Throws: `WatchError` naming what is wrong (a folder that is not there, unresolvable AWS settings).
    func makeWatcher(store: AlertStore, storePath: String, logger: Logger) throws -> Watcher? {
        guard let watch else { return nil }
        var configuration = WatchConfiguration(root: watch)
        configuration.s3 = try S3QueueSource.settings(
            target: watch, queueURL: queue, endpointURL: endpointURL, profile: profile, region: region)
        var rules = ScanRequest(paths: [])
        rules.ruleTrees = ruleTrees
        rules.useBuiltinPack = !noBuiltin
        rules.includeFailed = includeFailed
        // The alert pages show the event, as for alerts ingested through the API.
        rules.includeEvent = true
        configuration.rules = rules
        configuration.checkpointPath = checkpoint
        let sink = AlertStoreSink(store: store, path: storePath)
        return try configuration.makeWatcher(logger: logger, extraSinks: [sink])
    }

    /// Runs the server and, beside it, the watcher; the server's SIGTERM/SIGINT handling ends both (the watcher
    /// finishes its item and drains). A watcher that fails for good leaves the server up, `/healthz` at 503.
    func runServing(
        site: Site, configuration: ServerConfiguration, watcher: Watcher?, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void
    ) async throws {
        let watching = watcher.map { watcher in
            Task {
                do {
                    try await watcher.run()
                } catch {
                    logger.critical("watch failed, the server goes on", metadata: ["error": "\(error)"])
                }
            }
        }
        var operations = ServerOperations(registry: Self.metricsRegistry)
        if let watcher {
            operations.watchStatus = { @Sendable in watcher.status }
        }
        do {
            try await runServer(
                site: site, configuration: configuration, operations: operations, onServerRunning: onServerRunning)
        } catch {
            watcher?.stop()
            await watching?.value
            throw error
        }
        watcher?.stop()
        await watching?.value
    }
}
