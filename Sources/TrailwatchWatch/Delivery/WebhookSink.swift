import AsyncHTTPClient
import CoreMetrics
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Alerts POSTed to a URL, one request per alert, with the alert's stable id as `Idempotency-Key` so that a
/// receiver can drop the copy a crash or a retry may send again.
///
/// Bodies: `generic` sends the alert's JSON object (with `alert_id`); `slack` sends `{"text": "…"}` for a Slack
/// (or Mattermost, Teams workflow) incoming webhook. Timeouts, connection errors, 408, 429 and 5xx are retried
/// with exponential backoff and jitter; after the last retry, or at once for another 4xx (or a 3xx), the alert
/// goes to the dead-letter file and the sink moves on.
public final class WebhookSink: AlertSink {
    public enum Format: String, Sendable, CaseIterable {
        case generic, slack
    }

    /// Retry and timeout settings.
    public struct Policy: Sendable {
        /// Time allowed for one request, answer included (`--webhook-timeout`).
        public var timeout: Double = 10
        /// Retries after the first attempt (`--webhook-retries`): 8 wait about 4 minutes in all.
        public var retries = 8
        /// First wait; each retry doubles it (with ±50 % jitter), up to `maxDelay`.
        public var baseDelay = 1.0
        public var maxDelay = 120.0
        public init() {}

        /// The wait before retry `attempt` (1-based).
        func delay(before attempt: Int) -> Double {
            let plain = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
            return plain * Double.random(in: 0.5...1.5)
        }
    }

    public let url: String
    public let format: Format
    public let policy: Policy
    let deadLetter: DeadLetterFile?
    let logger: Logger
    let metrics: WatchMetrics
    public var name: String { "webhook:" + url }

    public init(
        url: String, format: Format = .generic, policy: Policy = Policy(), deadLetter: DeadLetterFile?,
        logger: Logger, metrics: WatchMetrics = WatchMetrics()
    ) {
        self.url = url
        self.format = format
        self.policy = policy
        self.deadLetter = deadLetter
        self.logger = logger
        self.metrics = metrics
    }

    public func deliver(_ rows: [OutboxRow]) async throws -> DeliveryProgress {
        for row in rows { try await deliver(row) }
        return DeliveryProgress(delivered: rows.count)
    }

    /// Sends one alert until it is accepted, refused for good, or the retries are spent.
    func deliver(_ row: OutboxRow) async throws {
        var attempt = 0
        while true {
            try Task.checkCancellation()
            let outcome = try await send(row)
            switch outcome {
            case .delivered:
                return
            case .refused(let reason):
                metrics.deliveryFailures(sink: "webhook").increment()
                try deadLetter?.append(row, sink: name, error: reason)
                logger.error("webhook refused an alert", metadata: ["alert_id": "\(row.alertID)", "error": "\(reason)"])
                return
            case .retry(let reason):
                metrics.deliveryFailures(sink: "webhook").increment()
                attempt += 1
                if attempt > policy.retries {
                    try deadLetter?.append(row, sink: name, error: "\(reason) (after \(policy.retries) retries)")
                    logger.error(
                        "webhook failed after the last retry: alert dead-lettered",
                        metadata: ["alert_id": "\(row.alertID)", "error": "\(reason)"])
                    return
                }
                let wait = policy.delay(before: attempt)
                logger.warning(
                    "webhook failed: retrying",
                    metadata: ["alert_id": "\(row.alertID)", "error": "\(reason)", "attempt": "\(attempt)",
                               "wait_s": "\(String(format: "%.1f", wait))"])
                try await Task.sleep(for: .seconds(wait))
            }
        }
    }

    enum Outcome { case delivered, retry(String), refused(String) }

    /// One attempt. Throws only when the task is cancelled (the watcher is stopping).
    func send(_ row: OutboxRow) async throws -> Outcome {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: row.alertID)
        request.headers.add(name: "User-Agent", value: "trailwatch-watch")
        let body = format == .slack ? SlackMessage.body(for: row) : row.json
        request.body = .bytes(Array(body.utf8))
        do {
            let response = try await HTTPClient.shared.execute(
                request, timeout: .milliseconds(Int64(policy.timeout * 1000)))
            let text = try await response.body.collect(upTo: 64 * 1024)
            let code = response.status.code
            if (200..<300).contains(code) { return .delivered }
            let reason = "HTTP \(code) \(String(buffer: text).prefix(200))"
            if code == 408 || code == 429 || code >= 500 { return .retry(reason) }
            return .refused(reason)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return .retry("\(error)")
        }
    }
}

/// Alerts that could not be delivered after the last retry, one JSON object per line:
/// `{"alert_id", "sink", "error", "failed_at", "alert"}`. Appended and `fsync`'d before the sink moves on.
public final class DeadLetterFile: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    func append(_ row: OutboxRow, sink: String, error: String) throws {
        let record = "{\"alert_id\":\(jsonString(row.alertID)),\"sink\":\(jsonString(sink)),"
            + "\"error\":\(jsonString(error)),\"failed_at\":\(jsonString(ISO8601DateFormatter().string(from: Date()))),"
            + "\"alert\":\(row.json)}\n"
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw WatchError("cannot create the dead-letter file \(path)")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw WatchError("cannot open the dead-letter file \(path)")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(record.utf8))
        try handle.synchronize()
    }
}

/// A JSON string literal.
func jsonString(_ text: String) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
    return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
}

/// The Slack-compatible body of an alert: one line of text.
enum SlackMessage {
    static func body(for row: OutboxRow) -> String {
        let object = (try? JSONSerialization.jsonObject(with: Data(row.json.utf8))) as? [String: Any] ?? [:]
        func text(_ key: String) -> String? { object[key] as? String }
        var line = "*[\((text("effectiveLevel") ?? "?").uppercased())] \(text("title") ?? "alert")*"
        if let name = text("eventName") { line += " — \(name)" }
        if let identity = text("identity") { line += " by \(identity)" }
        if let account = text("account") { line += " in \(account)" }
        if let region = text("region") { line += " (\(region))" }
        if let time = text("eventTime") { line += " at \(time)" }
        if let summary = text("summary") { line += "\n\(summary)" }
        line += "\nalert_id: \(row.alertID)"
        return "{\"text\":\(jsonString(line))}"
    }
}
