import Foundation
import Synchronization
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
            // Records are rendered as UTF-8 bytes, in parallel slices (rendering is the costly part when a scan
            // has many alerts), and handed to the stream in order.
            let sliceCount = alerts.count >= 4096 ? 8 : 1
            let sliceSize = (alerts.count + sliceCount - 1) / max(sliceCount, 1)
            let rendered = Mutex<[Int: [UInt8]]>([:])
            let isJSON = format == .json
            DispatchQueue.concurrentPerform(iterations: sliceCount) { slice in
                let start = slice * sliceSize
                let end = min(alerts.count, start + sliceSize)
                var bytes: [UInt8] = []
                bytes.reserveCapacity(max(0, end - start) * 700)
                if start < end {
                    for i in start..<end {
                        if isJSON { bytes.append(contentsOf: (i == 0 ? "\n" : ",\n").utf8) }
                        alerts[i].writeJSON(to: &bytes)
                        if !isJSON { bytes.append(0x0A) }
                    }
                }
                rendered.withLock { $0[slice] = bytes }
            }
            if isJSON { output.write("[") }
            let slices = rendered.withLock { $0 }
            for slice in 0..<sliceCount {
                if let bytes = slices[slice], !bytes.isEmpty { output.write(String(decoding: bytes, as: UTF8.self)) }
            }
            if isJSON { output.write(alerts.isEmpty ? "]\n" : "\n]\n") }
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
        out += correlationReport(result)
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

extension ScanPrinter {
    /// The correlation and ignore lines of the scan report (empty when neither applies).
    static func correlationReport(_ result: ScanResult) -> String {
        var out = ""
        if !result.rules.ignored.isEmpty {
            out += "Ignored (--ignore-rule/--ignore-file): " + result.rules.ignored.joined(separator: "; ") + ".\n"
        }
        let codes: Set<String> = ["ignore-matches-nothing", "not-a-filter"]
        for diagnostic in result.rules.diagnostics where codes.contains(diagnostic.code) {
            out += "warning: \(diagnostic)\n"
        }
        let report = result.correlation
        guard report.running > 0 || !report.setAside.isEmpty else { return out }
        let stats = report.statistics
        out += "Correlations: \(report.running) running, \(stats.firings) alert(s)"
        if !report.silencedRules.isEmpty { out += ", \(report.silencedRules.count) rule(s) only feeding correlations" }
        if !report.setAside.isEmpty { out += ", \(report.setAside.count) set aside" }
        if report.droppedMissingGroupBy > 0 {
            out += ", \(report.droppedMissingGroupBy) match(es) without a group-by field left out"
        }
        if stats.incompleteWindows > 0 { out += ", \(stats.incompleteWindows) window(s) still open at the end" }
        out += ".\n"
        for (title, reason) in report.setAside.prefix(20) { out += "  set aside: \(title): \(reason)\n" }
        // Losses: counted and reported, never silent.
        var losses: [String] = []
        if stats.groupsEvicted > 0 { losses.append("\(stats.groupsEvicted) group(s) evicted (--max-groups)") }
        if stats.eventsEvicted > 0 { losses.append("\(stats.eventsEvicted) event(s) evicted (--max-group-events)") }
        if stats.lateObservations > 0 { losses.append("\(stats.lateObservations) late observation(s) not evaluated") }
        if report.eventsWithoutTime > 0 {
            losses.append("\(report.eventsWithoutTime) event(s) without a valid eventTime not correlated")
        }
        if !losses.isEmpty { out += "warning: correlation: " + losses.joined(separator: ", ") + ".\n" }
        return out
    }
}
