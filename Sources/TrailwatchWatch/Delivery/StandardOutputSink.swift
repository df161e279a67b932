import Foundation

/// Alerts on standard output, one JSON object per line (the `--output` line, with `alert_id`).
/// At least once: a crash between printing and committing the cursor prints those alerts again on restart.
public struct StandardOutputSink: AlertSink {
    public var name: String { "stdout" }

    public init() {}

    public func deliver(_ rows: [OutboxRow]) async throws -> DeliveryProgress {
        var text = ""
        for row in rows {
            text += row.json
            text += "\n"
        }
        try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
        return DeliveryProgress(delivered: rows.count)
    }
}
