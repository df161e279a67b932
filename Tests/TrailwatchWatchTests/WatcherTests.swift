import Foundation
import Testing
import TrailwatchKit

@testable import TrailwatchWatch

@Suite struct WatcherTests {
    @Test func onceOverTheExamplesFindsWhatScanFindsCorrelationsIncluded() async throws {
        let harness = try WatchHarness(root: Fixtures.examples, once: true)
        try await harness.finish(stop: false)
        let expected = try await scanAlertIDs([Fixtures.examples])
        #expect(!expected.isEmpty)
        #expect(harness.outputIDs.count == Set(harness.outputIDs).count)
        #expect(Set(harness.outputIDs) == expected)
        let status = harness.watcher.status
        #expect(status.items == Fixtures.exampleFiles().count)
        #expect(status.healthy)
    }

    @Test func aCorrelationAcrossTwoFilesFiresAsInScan() async throws {
        let folder = try Fixtures.temporaryDirectory("burst")
        for (file, minutes) in [("AWSLogs/a_20240516T0300Z_x.json", 50..<56), ("AWSLogs/b_20240516T0305Z_y.json", 56..<62)] {
            let events = minutes.map { minute in
                Fixtures.openIngressEvent(
                    id: "burst-\(minute)", time: String(format: "2024-05-16T%02d:%02d:00Z", 2 + minute / 60, minute % 60))
            }
            try Fixtures.write(Fixtures.deliveryFile(events), to: folder + "/" + file)
        }
        let harness = try WatchHarness(root: folder, once: true)
        try await harness.finish(stop: false)
        #expect(Set(harness.outputIDs) == (try await scanAlertIDs([folder])))
        let lines = try String(contentsOfFile: harness.output, encoding: .utf8)
        #expect(lines.contains("\"correlation\""))
    }

    @Test func aSecondRunAddsOnlyWhatIsNewAndNeverRepeats() async throws {
        let folder = try Fixtures.temporaryDirectory("two-runs")
        let files = Fixtures.exampleFiles()
        func copy(_ slice: ArraySlice<String>) throws {
            for file in slice {
                let target = folder + "/" + file
                try FileManager.default.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: Fixtures.examples + "/" + file, toPath: target)
            }
        }
        try copy(files.prefix(files.count / 2))
        let first = try WatchHarness(root: folder, once: true)
        try await first.finish(stop: false)
        try copy(files.dropFirst(files.count / 2))
        var configuration = WatchConfiguration(root: folder)
        configuration.checkpointPath = first.checkpointPath
        configuration.outputPath = first.output
        configuration.once = true
        try await configuration.makeWatcher(logger: Fixtures.logger).run()
        #expect(first.outputIDs.count == Set(first.outputIDs).count)
        #expect(Set(first.outputIDs) == (try await scanAlertIDs([Fixtures.examples])))
    }

    @Test func aNewFileIsEvaluatedWithinOneSecondWithInotify() async throws {
        let harness = try WatchHarness()
        var delays: [Double] = []
        for index in 0..<7 {
            let path = harness.root + "/AWSLogs/d\(index).json"
            try await Task.sleep(for: .milliseconds(100))
            try Fixtures.writeThenRename(Fixtures.deliveryFile([Fixtures.openIngressEvent(id: "lat-\(index)")]), to: path)
            let written = Date()
            let seen = await eventually(timeout: 5) { (try? await harness.checkpoint.isDone("file:AWSLogs/d\(index).json")) ?? false }
            #expect(seen)
            delays.append(Date().timeIntervalSince(written))
        }
        try await harness.finish()
        let median = delays.sorted()[delays.count / 2]
        print("watch latency: median \(String(format: "%.3f", median)) s over \(delays.count) files, max \(delays.max()!)")
        #expect(median < 1.0)
        #expect(harness.outputIDs.count == 7 * Fixtures.alertsPerIngressEvent)
    }

    @Test func growingJSONLinesAreEvaluatedLineByLineAcrossRestarts() async throws {
        let folder = try Fixtures.temporaryDirectory("growing")
        let path = folder + "/live.jsonl"
        let e1 = Fixtures.openIngressEvent(id: "g-1")
        let e2 = Fixtures.openIngressEvent(id: "g-2")
        let e3 = Fixtures.openIngressEvent(id: "g-3")
        try Fixtures.write(e1 + "\n" + e2.prefix(40), to: path)
        let harness = try WatchHarness(root: folder, poll: true)
        let k = Fixtures.alertsPerIngressEvent
        #expect(k > 0)
        #expect(await eventually { harness.outputIDs.count == k })
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((e2.dropFirst(40) + "\n").utf8))
        try handle.close()
        #expect(await eventually { harness.outputIDs.count == 2 * k })
        try await harness.finish()
        // Restart with the same checkpoint: only the new line is read.
        let more = try #require(FileHandle(forWritingAtPath: path))
        try more.seekToEnd()
        try more.write(contentsOf: Data((e3 + "\n").utf8))
        try more.close()
        var configuration = WatchConfiguration(root: folder)
        configuration.checkpointPath = harness.checkpointPath
        configuration.outputPath = harness.output
        configuration.once = true
        let again = try configuration.makeWatcher(logger: Fixtures.logger)
        try await again.run()
        #expect(again.status.items == 1)
        #expect(harness.outputIDs.count == 3 * k)
        #expect(Set(harness.outputIDs).count == 3 * k)
    }

    @Test func countsAddUpAndABadFileIsRecordedNotFatal() async throws {
        let folder = try Fixtures.temporaryDirectory("counts")
        try Fixtures.write(
            Fixtures.deliveryFile([
                Fixtures.openIngressEvent(id: "c-1"), Fixtures.openIngressEvent(id: "c-2", time: "2020-01-01T00:00:00Z"),
                "{\"eventName\":\"DescribeInstances\",\"eventTime\":\"2024-05-14T10:00:00Z\",\"eventID\":\"c-3\"}",
            ]), to: folder + "/a.json")
        try Fixtures.write("this is not json", to: folder + "/b.json")
        let evaluator = try ItemEvaluator(request: ScanRequest(paths: []), from: 1_600_000_000_000)
        let good = try evaluator.evaluate(
            WatchItem(key: "file:a.json", name: folder + "/a.json", content: .file(path: folder + "/a.json"),
                      discoveredAtMillis: 0))
        #expect(good.counts.records == 3)
        #expect(good.counts.matched == 1)
        #expect(good.counts.beforeFrom == 1)
        #expect(good.counts.records == good.counts.matched + good.counts.unmatched + good.counts.beforeFrom)
        #expect(good.alerts.count == Fixtures.alertsPerIngressEvent)
        let bad = try evaluator.evaluate(
            WatchItem(key: "file:b.json", name: folder + "/b.json", content: .file(path: folder + "/b.json"),
                      discoveredAtMillis: 0))
        #expect(bad.record.error != nil || bad.counts.rejected > 0)
        let harness = try WatchHarness(root: folder, once: true)
        try await harness.finish(stop: false)
        #expect(harness.watcher.status.items == 2)
        #expect(harness.outputIDs.count == 2 * Fixtures.alertsPerIngressEvent)
    }

    @Test func badRulesAndBadDatesAreClearErrors() throws {
        let folder = try Fixtures.temporaryDirectory("config")
        var configuration = WatchConfiguration(root: folder)
        configuration.checkpointPath = folder + "/c.sqlite"
        configuration.from = "yesterday-ish"
        #expect { try configuration.makeWatcher(logger: Fixtures.logger) } throws: {
            "\($0)".contains("--from 'yesterday-ish'")
        }
        configuration.from = nil
        configuration.root = folder + "/missing"
        #expect { try configuration.makeWatcher(logger: Fixtures.logger) } throws: {
            "\($0)".contains("cannot watch \(folder)/missing")
        }
        configuration.root = folder
        configuration.webhooks = ["ftp://example.com/x"]
        #expect { try configuration.makeWatcher(logger: Fixtures.logger) } throws: { "\($0)".contains("--webhook") }
    }
}
