import Prometheus
import TrailwatchWatch

/// What `serve` tells about itself, beside the catalog and the alerts: the health of an in-process watcher
/// (`serve --watch`) and the metrics registry that `/metrics` exposes.
public struct ServerOperations: Sendable {
    /// The watcher's status now; nil when `serve` runs without `--watch`.
    public var watchStatus: (@Sendable () -> WatchStatus)?
    /// The registry behind `/metrics` (the process's swift-metrics backend under `serve`); nil: no `/metrics`.
    public var registry: PrometheusCollectorRegistry?

    public init(
        watchStatus: (@Sendable () -> WatchStatus)? = nil, registry: PrometheusCollectorRegistry? = nil
    ) {
        self.watchStatus = watchStatus
        self.registry = registry
    }
}
