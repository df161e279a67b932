import Foundation
import Logging
import Testing
import Synchronization
import TrailwatchKit

@testable import TrailwatchWatch

/// Paths and helpers shared by the watch tests.
enum Fixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let examples = repository.appendingPathComponent("Examples/cloudtrail").path
    static let receiverScript = repository.appendingPathComponent("scripts/webhook-receiver.py").path

    /// A fresh folder under the temporary directory.
    static func temporaryDirectory(_ label: String = "watch") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tw-\(label)-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The example delivery files (gzip'd CloudTrail, with security-group changes), oldest delivery first.
    static func exampleFiles() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: examples)
        var files: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasSuffix(".json.gz") { files.append(relative) }
        }
        return files.sorted { deliveryStamp($0) < deliveryStamp($1) }
    }

    static func deliveryStamp(_ path: String) -> String {
        let name = (path as NSString).lastPathComponent
        return name.split(separator: "_").dropFirst(3).first.map(String.init) ?? name
    }

    /// One CloudTrail record that the built-in pack flags (a security group opened to the world on port 22).
    static func openIngressEvent(id: String, time: String = "2024-05-14T10:00:00Z", account: String = "123456789012")
        -> String
    {
        """
        {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::\(account):user/alice",\
        "accountId":"\(account)"},"eventTime":"\(time)","eventSource":"ec2.amazonaws.com",\
        "eventName":"AuthorizeSecurityGroupIngress","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.7",\
        "userAgent":"aws-cli/2","requestParameters":{"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":\
        [{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}},\
        "responseElements":{"_return":true},"eventID":"\(id)","eventType":"AwsApiCall",\
        "recipientAccountId":"\(account)"}
        """
    }

    /// Alerts the built-in pack raises for one ``openIngressEvent(id:time:account:)`` (several rules match it).
    static let alertsPerIngressEvent: Int = {
        let evaluator = try? ItemEvaluator(request: ScanRequest(paths: []))
        let item = WatchItem(
            key: "k", name: "n", content: .bytes(Array(deliveryFile([openIngressEvent(id: "x")]).utf8)),
            discoveredAtMillis: 0)
        return (try? evaluator?.evaluate(item).alerts.count) ?? 0
    }()

    /// A delivery file body (`{"Records": [...]}`) of events.
    static func deliveryFile(_ events: [String]) -> String { "{\"Records\":[" + events.joined(separator: ",") + "]}" }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Writes under a temporary name in the same folder, then renames into place (as `aws s3 sync` does).
    static func writeThenRename(_ text: String, to path: String) throws {
        let temporary = path + ".a1B2c3D4"
        try write(text, to: temporary)
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }

    static let logger: Logger = {
        var logger = Logger(label: "test.watch") { StderrLogHandler(label: $0, level: .warning) }
        logger.logLevel = .warning
        return logger
    }()
}

/// Waits for `condition` up to `timeout` seconds, checking every 10 ms.
func eventually(timeout: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

/// Collects what a source yields, in the background.
final class ItemCollector: Sendable {
    final class Items: Sendable {
        let list = Mutex<[WatchItem]>([])
    }
    private let state = Items()
    private let task: Task<Void, Never>

    init(_ source: any WatchSource, isDone: @escaping @Sendable (String) async -> Bool = { _ in false }) {
        let state = self.state
        task = Task {
            do {
                for try await item in source.items(isDone: isDone) { state.list.withLock { $0.append(item) } }
            } catch {
                Issue.record("source failed: \(error)")
            }
        }
    }

    var items: [WatchItem] { state.list.withLock { $0 } }

    func stop() async {
        task.cancel()
        await task.value
    }
}
