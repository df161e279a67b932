import CoreMetrics
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import Testing
import TrailwatchKit
import TrailwatchServer
import TrailwatchWatch

/// `GET /healthz` (the watcher's health) and `GET /metrics` (Prometheus), through the router.
struct OperationsRouteTests {
    static func withRouter(
        _ operations: ServerOperations, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let configuration = Support.configuration()
        let site = try await Site(configuration: configuration, store: try AlertStore())
        let app = buildApplication(site: site, configuration: configuration, operations: operations)
        try await app.test(.router) { client in try await body(client) }
    }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(Support.text(response).utf8)) as? [String: Any])
    }

    static func status(healthy: Bool) -> WatchStatus {
        var status = WatchStatus(startedAt: Date(timeIntervalSince1970: 1_715_680_800))
        status.items = 3
        status.events = 120
        status.alerts = 4
        status.lastItem = "s3://trail/AWSLogs/a.json.gz"
        status.lastItemAt = Date(timeIntervalSince1970: 1_715_680_860)
        status.pending = ["store:/tmp/alerts.sqlite": 2]
        status.healthy = healthy
        status.problem = healthy ? nil : "the S3 source s3://trail/ failed: bad credentials"
        return status
    }

    @Test func withoutAWatcherHealthIsOKAndSaysSo() async throws {
        try await Self.withRouter(ServerOperations()) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(Support.text(response) == #"{"status":"ok","watch":null}"# + "\n")
            }
        }
    }

    @Test func aHealthyWatcherIsReportedWithItsCounts() async throws {
        let status = Self.status(healthy: true)
        try await Self.withRouter(ServerOperations(watchStatus: { status })) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.object(response)
                #expect(body["status"] as? String == "ok")
                let watch = try #require(body["watch"] as? [String: Any])
                #expect(watch["status"] as? String == "ok")
                #expect(watch["items"] as? Int == 3)
                #expect(watch["events"] as? Int == 120)
                #expect(watch["alerts"] as? Int == 4)
                #expect(watch["last_item"] as? String == "s3://trail/AWSLogs/a.json.gz")
                #expect(watch["started"] as? String == "2024-05-14T10:00:00.000Z")
                #expect(watch["last_item_at"] as? String == "2024-05-14T10:01:00.000Z")
                #expect(watch["pending"] as? [String: Int] == ["store:/tmp/alerts.sqlite": 2])
                #expect(watch["problem"] is NSNull)
            }
        }
    }

    @Test func aFailedWatcherMakesHealthAnswer503WithTheProblem() async throws {
        let status = Self.status(healthy: false)
        try await Self.withRouter(ServerOperations(watchStatus: { status })) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = try Self.object(response)
                #expect(body["status"] as? String == "degraded")
                let watch = try #require(body["watch"] as? [String: Any])
                #expect((watch["problem"] as? String)?.contains("bad credentials") == true)
            }
        }
    }

    @Test func metricsExposeWhatTheSwiftMetricsAPIRecorded() async throws {
        let registry = PrometheusCollectorRegistry()
        // The watcher's metrics go through swift-metrics; a factory over this registry stands for the process's
        // bootstrapped backend (bootstrapping is once per process, so tests never do it).
        let factory = PrometheusMetricsFactory(registry: registry)
        Counter(label: "trailwatch_watch_items_total", factory: factory).increment(by: 7)
        Counter(label: "trailwatch_watch_delivery_failures_total", dimensions: [("sink", "webhook")], factory: factory)
            .increment()
        try await Self.withRouter(ServerOperations(registry: registry)) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4")
                let text = Support.text(response)
                #expect(text.contains("# TYPE trailwatch_watch_items_total counter"))
                #expect(text.contains("\ntrailwatch_watch_items_total 7\n"))
                #expect(text.contains(#"trailwatch_watch_delivery_failures_total{sink="webhook"} 1"#))
            }
            // No token needed, and nothing else changed: a second read sees the same counter.
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(Support.text(response).contains("\ntrailwatch_watch_items_total 7\n"))
            }
        }
    }

    @Test func withoutARegistryThereIsNoMetricsRoute() async throws {
        try await Self.withRouter(ServerOperations()) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
