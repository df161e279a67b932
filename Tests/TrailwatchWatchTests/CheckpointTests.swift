import Foundation
import Testing
import TrailwatchWatch

@Suite struct CheckpointTests {
    func open() throws -> Checkpoint {
        try Checkpoint(path: try Fixtures.temporaryDirectory("checkpoint") + "/state/watch.sqlite")
    }

    @Test func anItemAndItsAlertsCommitTogetherAndRepeatedAlertsEnterOnce() async throws {
        let checkpoint = try open()
        #expect(try await checkpoint.isDone("file:a.json") == false)
        let first = try await checkpoint.commit(
            ItemRecord(key: "file:a.json", name: "a.json", events: 3, alerts: 2, minEventMillis: 10, maxEventMillis: 30),
            alerts: [OutboxAlert(id: "A", json: "{\"alert_id\":\"A\"}"), OutboxAlert(id: "B", json: "{}")])
        #expect(first == 2)
        // The same event seen in another file (a redelivery): its alert id is already there.
        let second = try await checkpoint.commit(
            ItemRecord(key: "file:b.json", name: "b.json", events: 1, alerts: 2, minEventMillis: 40, maxEventMillis: 50),
            alerts: [OutboxAlert(id: "B", json: "{}"), OutboxAlert(id: "C", json: "{}")])
        #expect(second > first)
        #expect(try await checkpoint.isDone("file:a.json"))
        #expect(try await checkpoint.alertIDs() == ["A", "B", "C"])
        #expect(try await checkpoint.outbox(after: 0, limit: 10).map(\.alertID) == ["A", "B", "C"])
        #expect(try await checkpoint.outbox(after: 1, limit: 1).map(\.itemKey) == ["file:a.json"])
        #expect(try await checkpoint.newestEventMillis() == 50)
        #expect(try await checkpoint.items(endingAtOrAfter: 45).map(\.key) == ["file:b.json"])
    }

    @Test func sinkCursorsAreIndependentAndKeepTheirFileOffset() async throws {
        let checkpoint = try open()
        #expect(try await checkpoint.sinkCursor("stdout") == SinkCursor(deliveredSeq: 0, fileOffset: nil))
        try await checkpoint.advanceSink("file:/tmp/x", to: 7, fileOffset: 1234)
        try await checkpoint.advanceSink("stdout", to: 3)
        #expect(try await checkpoint.sinkCursor("file:/tmp/x") == SinkCursor(deliveredSeq: 7, fileOffset: 1234))
        #expect(try await checkpoint.sinkCursor("stdout") == SinkCursor(deliveredSeq: 3, fileOffset: nil))
    }

    @Test func growingOffsetsCommitWithTheRangeAndRestartForgetsTheRanges() async throws {
        let checkpoint = try open()
        #expect(try await checkpoint.growingOffset("live.jsonl") == nil)
        try await checkpoint.commit(
            ItemRecord(key: "range:live.jsonl@0-100", name: "live.jsonl", events: 2, alerts: 0), alerts: [],
            growing: GrowingOffset(path: "live.jsonl", offset: 100, inode: 42))
        #expect(try await checkpoint.growingOffset("live.jsonl") == GrowingOffset(path: "live.jsonl", offset: 100, inode: 42))
        try await checkpoint.restartGrowing("live.jsonl", inode: 43, rangeKeyPrefix: "range:live.jsonl@")
        #expect(try await checkpoint.growingOffset("live.jsonl") == GrowingOffset(path: "live.jsonl", offset: 0, inode: 43))
        #expect(try await checkpoint.isDone("range:live.jsonl@0-100") == false)
    }

    @Test func reopeningKeepsEverything() async throws {
        let path = try Fixtures.temporaryDirectory("checkpoint") + "/watch.sqlite"
        do {
            let checkpoint = try Checkpoint(path: path)
            try await checkpoint.commit(
                ItemRecord(key: "file:a.json", name: "a.json", events: 1, alerts: 1),
                alerts: [OutboxAlert(id: "A", json: "{}")])
        }
        let again = try Checkpoint(path: path)
        #expect(try await again.isDone("file:a.json"))
        #expect(try await again.lastSeq() == 1)
    }

    @Test func aFileThatIsNotADatabaseIsAClearError() throws {
        let path = try Fixtures.temporaryDirectory("checkpoint") + "/bad.sqlite"
        try Data("this is not SQLite, not at all, and long enough to have a header".utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect { try Checkpoint(path: path) } throws: { error in
            "\(error)".contains("cannot open the checkpoint \(path)")
        }
    }
}
