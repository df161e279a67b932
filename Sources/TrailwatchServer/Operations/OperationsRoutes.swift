import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus
import TrailwatchKit
import TrailwatchWatch

/// `GET /healthz` and `GET /metrics`: read-only, no event content, so no token (a load balancer or Prometheus
/// polls them).
struct OperationsRoutes: Sendable {
    let operations: ServerOperations

    /// The Prometheus text format's content type.
    static let prometheusContentType = "text/plain; version=0.0.4"

    /// 200 `{"status":"ok",…}` while healthy, 503 `{"status":"degraded",…}` once the watcher failed for good.
    @Sendable func health(_ request: Request, context: AppRequestContext) -> Response {
        guard let status = operations.watchStatus?() else {
            return Responses.json(.object([("status", .string("ok")), ("watch", .null)]))
        }
        let word = status.healthy ? "ok" : "degraded"
        let body = JSONRecord.object([("status", .string(word)), ("watch", Self.json(status))])
        return Responses.json(body, status: status.healthy ? .ok : .serviceUnavailable)
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) -> Response {
        var bytes: [UInt8] = []
        operations.registry?.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: Self.prometheusContentType, .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The status as `/healthz` shows it (snake_case, RFC 3339 times, null when unknown).
    static func json(_ status: WatchStatus) -> JSONRecord {
        func time(_ date: Date?) -> JSONRecord {
            date.map { .string(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format($0)) } ?? .null
        }
        let pending = status.pending.sorted { $0.key < $1.key }.map { ($0.key, JSONRecord.int($0.value)) }
        return .object([
            ("status", .string(status.healthy ? "ok" : "degraded")),
            ("started", time(status.startedAt)),
            ("items", .int(Int64(status.items))),
            ("failed_items", .int(Int64(status.failedItems))),
            ("events", .int(Int64(status.events))),
            ("alerts", .int(Int64(status.alerts))),
            ("last_item", status.lastItem.map(JSONRecord.string) ?? .null),
            ("last_item_at", time(status.lastItemAt)),
            ("pending", .object(pending)),
            ("problem", status.problem.map(JSONRecord.string) ?? .null),
        ])
    }
}
