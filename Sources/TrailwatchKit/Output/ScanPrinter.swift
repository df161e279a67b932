import Foundation
import CloudTrail
import SigmaKit

/// Writes a scan's alerts to stdout in the chosen format, and its report to stderr.
public struct ScanPrinter: Sendable {
    public var format: OutputFormat
    public var useColor: Bool
    public var oldestFirst: Bool

    public init(format: OutputFormat, useColor: Bool = false, oldestFirst: Bool = false) {
        self.format = format
        self.useColor = useColor
        self.oldestFirst = oldestFirst
    }

    /// The alerts in the chosen format (the timeline for `table`, with its summary).
    public func print(_ result: ScanResult, to output: inout some TextOutputStream) {
        let alerts = oldestFirst ? Array(result.alerts.reversed()) : result.alerts
        switch format {
        case .table:
            let renderer = TimelineRenderer(useColor: useColor)
            for alert in alerts { output.write(renderer.line(for: alert) + "\n") }
            if !alerts.isEmpty { output.write("\n") }
            output.write(renderer.summary(for: alerts))
        case .jsonl, .json:
            // Records are rendered as UTF-8 bytes and handed to the stream in large chunks.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(1 << 17)
            if format == .json { bytes.append(UInt8(ascii: "[")) }
            for (i, alert) in alerts.enumerated() {
                if format == .json { bytes.append(contentsOf: (i == 0 ? "\n" : ",\n").utf8) }
                alert.jsonRecord.write(to: &bytes)
                if format == .jsonl { bytes.append(0x0A) }
                if bytes.count >= 1 << 16 {
                    output.write(String(decoding: bytes, as: UTF8.self))
                    bytes.removeAll(keepingCapacity: true)
                }
            }
            if format == .json { bytes.append(contentsOf: (alerts.isEmpty ? "]\n" : "\n]\n").utf8) }
            output.write(String(decoding: bytes, as: UTF8.self))
        case .csv:
            output.write(CSV.line(Alert.csvColumns) + "\r\n")
            for alert in alerts { output.write(CSV.line(alert.csvValues) + "\r\n") }
        }
    }

    /// The scan report for stderr: counts that add up, input errors with their positions, rules set aside.
    public static func report(_ result: ScanResult, useColor: Bool = false) -> String {
        var out = ""
        let t = result.input.totals
        let skipped = t.skippedTime + t.skippedAccount + t.skippedRegion
        out += "Scanned \(result.input.inputs.count) input(s): \(t.records) events read, \(t.accepted) evaluated, "
        out += "\(skipped) skipped by filters, \(t.duplicates) duplicates, \(t.rejected) rejected; "
        out += "\(result.eventsMatched) matched, \(result.alerts.count) alerts "
        out += "(\(String(format: "%.2f", result.elapsedSeconds)) s).\n"
        out += "Rules: \(result.rules.running) running"
        if result.rules.filtersApplied > 0 { out += ", \(result.rules.filtersApplied) filter application(s)" }
        if !result.rules.setAside.isEmpty { out += ", \(result.rules.setAside.count) set aside (not CloudTrail)" }
        let rejected = result.rules.diagnostics.filter { $0.severity == .error }
        if !rejected.isEmpty { out += ", \(rejected.count) rule document(s) rejected" }
        out += ".\n"
        for diagnostic in rejected.prefix(20) { out += "  \(diagnostic)\n" }
        if rejected.count > 20 { out += "  … \(rejected.count - 20) more (run `trailwatch rules lint`)\n" }
        for error in result.input.pathErrors { out += "error: \(error)\n" }
        for input in result.input.inputs {
            if let error = input.error { out += "error: \(error)\n" }
            for issue in input.issues { out += "warning: \(issue)\n" }
            if input.issueCount > input.issues.count {
                out += "warning: \(input.path): \(input.issueCount - input.issues.count) more rejected records\n"
            }
        }
        return out
    }
}
