import Foundation
import TrailwatchKit

/// Alerts on standard output: one JSON object per line (the `--output` line, with `alert_id`), or the timeline
/// line of `scan`. At least once: a crash between printing and committing the cursor prints those alerts again.
public struct StandardOutputSink: AlertSink {
    /// How alerts are printed.
    public enum Format: String, Sendable, CaseIterable {
        /// One JSON object per line.
        case jsonl
        /// The timeline of `scan` (one line per alert, an enrichment line under it).
        case table
    }

    public let format: Format
    public let useColor: Bool
    public var name: String { "stdout" }

    public init(format: Format = .jsonl, useColor: Bool = false) {
        self.format = format
        self.useColor = useColor
    }

    public func deliver(_ rows: [OutboxRow]) async throws -> DeliveryProgress {
        var text = ""
        let timeline = TimelineRenderer(useColor: useColor)
        for row in rows {
            // A line that does not decode back (never expected) is printed as JSON rather than lost.
            if format == .table, let alert = row.alert {
                text += timeline.line(for: alert)
            } else {
                text += row.json
            }
            text += "\n"
        }
        try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
        return DeliveryProgress(delivered: rows.count)
    }
}
