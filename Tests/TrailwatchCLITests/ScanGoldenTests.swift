import SigmaKit
import CloudTrail
import Foundation
import Testing
import TrailwatchKit

/// Every output format of `scan` on the example tree, against committed golden files
/// (`RECORD_GOLDEN=1 swift test --filter ScanGoldenTests` re-records them).
struct ScanGoldenTests {
    static func scanExamples() async throws -> ScanResult {
        var request = ScanRequest(paths: [Repository.examples])
        request.workers = 2
        return try await Scanner.run(request)
    }

    /// Paths in the output are made relative to the repository so the golden files do not depend on the checkout.
    static func render(_ result: ScanResult, _ format: OutputFormat) -> String {
        var text = ""
        ScanPrinter(format: format).print(result, to: &text)
        return text.replacingOccurrences(of: Repository.root.path + "/", with: "")
    }

    @Test(arguments: [OutputFormat.table, .jsonl, .json, .csv])
    func goldenOutput(format: OutputFormat) async throws {
        let result = try await Self.scanExamples()
        try Repository.expectGolden(Self.render(result, format), "examples.\(format.rawValue)")
    }

    @Test func examplesTellTheStory() async throws {
        let result = try await Self.scanExamples()
        #expect(result.input.totals.records == 183)
        #expect(result.input.totals.accepted == 183)
        #expect(result.input.failedInputs.isEmpty)
        let seed = result.alerts.filter { $0.ruleID == "6fb77778-040f-4015-9440-572aa9b6b580" }
        // Four successful changes (partner HTTPS, world-open SSH, IPv6 egress, the revoke); the failed attempt is
        // filtered out by the pack's successful-calls filter.
        #expect(seed.count == 4)
        #expect(seed.allSatisfy { $0.errorCode == nil })
        // Newest first.
        let times = result.alerts.compactMap(\.eventTimeMillis)
        #expect(times == times.sorted(by: >))
        let ssh = try #require(seed.first { $0.summary?.contains("tcp/22") == true && $0.eventName == "AuthorizeSecurityGroupIngress" })
        #expect(ssh.effectiveLevel == .high)
        #expect(ssh.level == .medium)
        #expect(ssh.summary?.contains("0.0.0.0/0") == true)
    }

    @Test func includeFailedReportsTheFailedAttemptMarked() async throws {
        var request = ScanRequest(paths: [Repository.examples])
        request.includeFailed = true
        let result = try await Scanner.run(request)
        let seed = result.alerts.filter { $0.ruleID == "6fb77778-040f-4015-9440-572aa9b6b580" }
        #expect(seed.count == 5)
        let failed = try #require(seed.first { $0.errorCode != nil })
        #expect(failed.errorCode == "Client.InvalidGroup.NotFound")
        #expect(failed.outcome == "Client.InvalidGroup.NotFound")
        let line = TimelineRenderer(useColor: false).line(for: failed)
        #expect(line.contains("failed: Client.InvalidGroup.NotFound"))
    }

    @Test func csvNeutralisesFormulas() {
        #expect(CSV.cell("=cmd|' /C calc'!A0") == "\"'=cmd|' /C calc'!A0\"")
        #expect(CSV.cell("+1") == "\"'+1\"")
        #expect(CSV.cell("-1") == "\"'-1\"")
        #expect(CSV.cell("@SUM(A1)") == "\"'@SUM(A1)\"")
        #expect(CSV.cell("a,b") == "\"a,b\"")
        #expect(CSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.cell("plain") == "plain")
    }

    @Test func exitStatus() async throws {
        let result = try await Self.scanExamples()
        #expect(result.exitStatus(failOn: nil) == 0)
        #expect(result.exitStatus(failOn: .high) == 1)
        #expect(result.exitStatus(failOn: .critical) == 0 || result.alerts.contains { $0.effectiveLevel == .critical })
    }
}

struct ProgressTests {
    @Test func driverReportsFilesAndBytesDone() async throws {
        var options = InputOptions(paths: [Repository.examples])
        let progress = InputProgress()
        options.progress = progress
        let (_, report) = try await readRecords(options: options, makeState: { 0 }, visit: { count, _ in count += 1 })
        let snapshot = progress.snapshot
        #expect(snapshot.totalFiles == 17)
        #expect(snapshot.files == 17)
        #expect(snapshot.bytes == snapshot.totalBytes)
        #expect(snapshot.totalBytes > 0)
        #expect(report.totals.records == 183)
    }
}

/// `Alert.writeJSON` (the fast path of `--format jsonl|json`) writes exactly `Alert.jsonRecord`'s text.
struct AlertJSONWriterTests {
    @Test func writerMatchesTheRecordOnEveryExampleAlert() async throws {
        var request = ScanRequest(paths: [Repository.examples])
        request.includeEvent = true  // the raw event member too
        request.includeFailed = true
        var alerts = try await Scanner.run(request).alerts
        #expect(alerts.contains { !$0.enrichment.isEmpty })
        // A correlation alert (with its details and contributing events): the pack's burst correlation.
        let root = try CorrelationScanTests.directory(["logs/a.json": CorrelationScanTests.burstCorpus()])
        defer { try? FileManager.default.removeItem(at: root) }
        alerts += try await CorrelationScanTests.scan([root.appendingPathComponent("logs").path]) {
            $0.includeEvent = true
        }.alerts
        #expect(alerts.contains { $0.correlation != nil })
        for alert in alerts {
            var written: [UInt8] = []
            alert.writeJSON(to: &written)
            #expect(String(decoding: written, as: UTF8.self) == alert.jsonRecord.rendered())
        }
    }

    @Test func writerEscapesLikeTheRecord() {
        var alert = Alert(
            ruleID: "r\"1", ruleTitle: "tab\there \\ line\nbreak \u{2028} \u{1}", level: .high, status: nil,
            tags: ["attack.t1190", "quote\"d"], eventTime: "2024-05-15T02:15:31Z", eventTimeMillis: nil)
        alert.userAgent = "ua \u{7F} é"
        var written: [UInt8] = []
        alert.writeJSON(to: &written)
        #expect(String(decoding: written, as: UTF8.self) == alert.jsonRecord.rendered())
    }
}
