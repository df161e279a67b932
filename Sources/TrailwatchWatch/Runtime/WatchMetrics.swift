import Metrics

/// The watcher's metrics, through the swift-metrics API: whatever backend the process bootstrapped (a
/// Prometheus registry under `serve`; none, so no cost, under `trailwatch watch`) receives them.
///
/// Names: `trailwatch_watch_items_total`, `trailwatch_watch_events_total`, `trailwatch_watch_alerts_total`,
/// `trailwatch_watch_errors_total`, `trailwatch_watch_delivery_failures_total{sink}`,
/// `trailwatch_watch_outbox_pending{sink}`, `trailwatch_watch_lag_seconds` (discovery → evaluated) and
/// `trailwatch_watch_item_duration_seconds`.
public struct WatchMetrics: Sendable {
    public let items = Counter(label: "trailwatch_watch_items_total")
    public let events = Counter(label: "trailwatch_watch_events_total")
    public let alerts = Counter(label: "trailwatch_watch_alerts_total")
    public let errors = Counter(label: "trailwatch_watch_errors_total")
    public let lag = Gauge(label: "trailwatch_watch_lag_seconds")
    public let itemDuration = Timer(label: "trailwatch_watch_item_duration_seconds")

    public init() {}

    public func deliveryFailures(sink: String) -> Counter {
        Counter(label: "trailwatch_watch_delivery_failures_total", dimensions: [("sink", sink)])
    }

    public func outboxPending(sink: String) -> Gauge {
        Gauge(label: "trailwatch_watch_outbox_pending", dimensions: [("sink", sink)])
    }
}
