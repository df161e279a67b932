import Foundation
import Testing
import TrailwatchKit

@testable import TrailwatchWatch

/// A watcher on a temporary folder, with a JSON Lines output, run in the background.
final class WatchHarness: Sendable {
    let root: String
    let output: String
    let checkpointPath: String
    let watcher: Watcher
    let checkpoint: Checkpoint
    private let task: Task<Void, any Error>

    init(
        root: String? = nil, once: Bool = false, poll: Bool = false,
        configure: (inout WatchConfiguration) -> Void = { _ in }
    ) throws {
        let folder = try Fixtures.temporaryDirectory("harness")
        let root = root ?? folder + "/watched"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        self.root = root
        output = folder + "/alerts.jsonl"
        checkpointPath = folder + "/checkpoint.sqlite"
        var configuration = WatchConfiguration(root: root)
        configuration.checkpointPath = checkpointPath
        configuration.outputPath = output
        configuration.once = once
        configuration.source.forcePolling = poll
        configuration.source.pollInterval = 0.1
        configure(&configuration)
        let watcher = try configuration.makeWatcher(logger: Fixtures.logger)
        self.watcher = watcher
        checkpoint = try Checkpoint(path: checkpointPath)
        task = Task { try await watcher.run() }
    }

    /// Alert ids in the output file, in order (repeats kept).
    var outputIDs: [String] {
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["alert_id"] as? String ?? "<no alert_id>"
        }
    }

    /// Waits for the end of a `once` run, or stops a continuous one; rethrows its failure.
    func finish(stop: Bool = true) async throws {
        if stop { watcher.stop() }
        try await task.value
    }
}

/// The alert ids `scan` finds in `paths` (the reference a watcher must reproduce).
func scanAlertIDs(_ paths: [String]) async throws -> Set<String> {
    Set(try await Scanner.run(ScanRequest(paths: paths)).alerts.map(\.stableID))
}
