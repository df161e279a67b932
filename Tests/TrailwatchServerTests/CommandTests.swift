import ArgumentParser
import Foundation
import Testing
import TrailwatchCLI
import TrailwatchServer

/// The command-line side: `scan --store` feeds the store the server reads; `serve` checks its options.
struct CommandTests {
    static var examples: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/cloudtrail").path
    }

    @Test func scanStoreWritesAlertsWithTheirEventsOnce() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-scan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("alerts.sqlite").path
        for _ in 0..<2 {
            var command = try Trailwatch.parseAsRoot(["scan", "--quiet", "--format", "csv", "--store", path, Self.examples])
            if var scan = command as? any AsyncParsableCommand {
                try await scan.run()
            } else {
                try command.run()
            }
        }
        let store = try AlertStore(path: path)
        let page = try await store.alerts(matching: .init())
        #expect(page.total == 8)  // the second scan added nothing
        #expect(page.items.allSatisfy { $0.event != nil && $0.source == "scan" })
        #expect(page.items.contains { $0.summary?.contains("OPEN TO THE INTERNET") == true })
    }

    @Test(arguments: [
        ["serve", "--token", "short"], ["serve", "--port", "70000"], ["serve", "--no-builtin"],
        ["serve", "--max-body", "10"],
    ])
    func serveRejectsBadOptions(arguments: [String]) {
        #expect(throws: (any Error).self) { try Trailwatch.parseAsRoot(arguments) }
    }

    @Test func serveHelpNamesTheDefaults() {
        let help = Trailwatch.helpMessage(columns: 200)
        #expect(help.contains("serve"))
    }
}
