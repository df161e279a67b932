import Foundation
import Testing
import TrailwatchWatch

@Suite struct JSONLinesFileSinkTests {
    func rows(_ range: ClosedRange<Int>) -> [OutboxRow] {
        range.map { OutboxRow(seq: Int64($0), alertID: "id\($0)", itemKey: "file:x", json: "{\"alert_id\":\"id\($0)\"}") }
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func aLineWrittenButNotCommittedIsCutOnRestartAndWrittenOnce() async throws {
        let folder = try Fixtures.temporaryDirectory("sink")
        let path = folder + "/alerts.jsonl"
        let checkpoint = try Checkpoint(path: folder + "/c.sqlite")
        let sink = JSONLinesFileSink(path: path)
        try await sink.prepare(cursor: try await checkpoint.sinkCursor(sink.name))
        let first = try await sink.deliver(rows(1...2))
        try await checkpoint.advanceSink(sink.name, to: 2, fileOffset: first.fileOffset)
        // Rows 3-4 reach the file, then the process dies before the cursor is committed.
        _ = try await sink.deliver(rows(3...4))
        await sink.close()
        #expect(try lines(path).count == 4)

        let restarted = JSONLinesFileSink(path: path)
        let cursor = try await checkpoint.sinkCursor(restarted.name)
        #expect(cursor.deliveredSeq == 2)
        try await restarted.prepare(cursor: cursor)
        #expect(try lines(path) == ["{\"alert_id\":\"id1\"}", "{\"alert_id\":\"id2\"}"])
        let again = try await restarted.deliver(try await checkpoint.outbox(after: 2, limit: 10) + rows(3...4))
        try await checkpoint.advanceSink(restarted.name, to: 4, fileOffset: again.fileOffset)
        await restarted.close()
        #expect(try lines(path) == (1...4).map { "{\"alert_id\":\"id\($0)\"}" })
    }

    @Test func rotationKeepsNFilesAndCommitsTheRotationBeforeWriting() async throws {
        let folder = try Fixtures.temporaryDirectory("sink")
        let path = folder + "/alerts.jsonl"
        let sink = JSONLinesFileSink(path: path, rotateSize: 40, keep: 2)
        try await sink.prepare(cursor: SinkCursor(deliveredSeq: 0, fileOffset: nil))
        var written: [String] = []
        var seq = 1
        for _ in 0..<12 {
            let progress = try await sink.deliver(rows(seq...seq + 1))
            if progress.delivered == 0 {
                #expect(progress.fileOffset == 0)
                continue
            }
            written += rows(seq...seq + 1).map(\.json)
            seq += 2
        }
        await sink.close()
        let manager = FileManager.default
        #expect(manager.fileExists(atPath: path + ".1"))
        #expect(manager.fileExists(atPath: path + ".2"))
        #expect(!manager.fileExists(atPath: path + ".3"))
        let kept = try lines(path + ".2") + lines(path + ".1") + lines(path)
        #expect(kept == Array(written.suffix(kept.count)))
    }

    @Test func aCommittedOffsetBeyondTheFileMeansARotationNothingIsCut() async throws {
        let folder = try Fixtures.temporaryDirectory("sink")
        let path = folder + "/alerts.jsonl"
        try Data("{\"alert_id\":\"x\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        let sink = JSONLinesFileSink(path: path)
        try await sink.prepare(cursor: SinkCursor(deliveredSeq: 9, fileOffset: 5000))
        await sink.close()
        #expect(try lines(path) == ["{\"alert_id\":\"x\"}"])
    }

    @Test func anOutputInAMissingFolderIsAClearError() async throws {
        let sink = JSONLinesFileSink(path: "/nonexistent-folder-\(UUID().uuidString)/alerts.jsonl")
        await #expect { try await sink.prepare(cursor: SinkCursor(deliveredSeq: 0, fileOffset: nil)) } throws: {
            "\($0)".contains("cannot open the output file")
        }
    }
}
