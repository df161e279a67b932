import Foundation
import Testing

@testable import TrailwatchWatch

@Suite struct DirectorySourceTests {
    func source(_ root: String, poll: Bool = false, once: Bool = false) throws -> DirectorySource {
        var options = DirectorySource.Options()
        options.forcePolling = poll
        options.pollInterval = 0.1
        options.once = once
        let checkpoint = try Checkpoint(path: try Fixtures.temporaryDirectory("ck") + "/c.sqlite")
        return DirectorySource(root: root, checkpoint: checkpoint, options: options, logger: Fixtures.logger)
    }

    @Test(arguments: [false, true])
    func newFilesRenamedIntoPlaceAndNewFoldersAreSeen(poll: Bool) async throws {
        let root = try Fixtures.temporaryDirectory("dir")
        try Fixtures.write("{}", to: root + "/old.json")
        try Fixtures.write("not watched", to: root + "/notes.txt")
        try Fixtures.write("{}", to: root + "/CloudTrail-Digest/digest.json.gz")
        try Fixtures.write("{}", to: root + "/.hidden.json")
        let source = try source(root, poll: poll)
        #expect(source.usesInotify == !poll)
        let collector = ItemCollector(source)
        #expect(await eventually { collector.items.map(\.key) == ["file:old.json"] })
        try Fixtures.writeThenRename("{}", to: root + "/new.json.gz")
        #expect(await eventually { collector.items.map(\.key).contains("file:new.json.gz") })
        try Fixtures.write("{}", to: root + "/AWSLogs/1/CloudTrail/eu-west-1/2024/05/14/x.json")
        #expect(await eventually {
            collector.items.map(\.key).contains("file:AWSLogs/1/CloudTrail/eu-west-1/2024/05/14/x.json")
        })
        try await Task.sleep(for: .milliseconds(300))
        await collector.stop()
        // Each file once; temporary names, digests, hidden and foreign files never.
        #expect(collector.items.map(\.key).sorted() == [
            "file:AWSLogs/1/CloudTrail/eu-west-1/2024/05/14/x.json", "file:new.json.gz", "file:old.json",
        ])
    }

    @Test func filesAlreadyDoneAreSkippedWithoutBeingHandedOut() async throws {
        let root = try Fixtures.temporaryDirectory("dir")
        try Fixtures.write("{}", to: root + "/a.json")
        try Fixtures.write("{}", to: root + "/b.json")
        let collector = ItemCollector(try source(root, once: true), isDone: { $0 == "file:a.json" })
        #expect(await eventually { collector.items.count == 1 })
        #expect(collector.items.map(\.key) == ["file:b.json"])
        await collector.stop()
    }

    @Test(arguments: [false, true])
    func aGrowingJSONLinesFileYieldsItsCompleteLinesOnly(poll: Bool) async throws {
        let root = try Fixtures.temporaryDirectory("dir")
        let path = root + "/live.jsonl"
        try Fixtures.write("{\"a\":1}\n{\"a\":2}\n{\"a\":", to: path)
        let collector = ItemCollector(try source(root, poll: poll))
        #expect(await eventually { collector.items.count == 1 })
        #expect(collector.items.first?.content == .fileRange(path: path, start: 0, end: 16))
        #expect(collector.items.first?.growing?.offset == 16)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("3}\n".utf8))
        try handle.close()
        #expect(await eventually { collector.items.count == 2 })
        #expect(collector.items.last?.content == .fileRange(path: path, start: 16, end: 24))
        #expect(collector.items.last?.key == "range:live.jsonl@16-24")
        // Truncated and rewritten: read again from 0.
        try Fixtures.write("{\"b\":1}\n", to: path)
        #expect(await eventually { collector.items.count == 3 })
        #expect(collector.items.last?.content == .fileRange(path: path, start: 0, end: 8))
        await collector.stop()
    }

    @Test func aGrowingFileResumesAtTheCommittedOffset() async throws {
        let root = try Fixtures.temporaryDirectory("dir")
        let path = root + "/live.jsonl"
        try Fixtures.write("{\"a\":1}\n{\"a\":2}\n", to: path)
        let source = try source(root, once: true)
        let inode = try #require(FileLook(path: path)).inode
        try await source.checkpoint.commit(
            ItemRecord(key: "range:live.jsonl@0-8", name: path, events: 1, alerts: 0), alerts: [],
            growing: GrowingOffset(path: "live.jsonl", offset: 8, inode: inode))
        let collector = ItemCollector(source)
        #expect(await eventually { collector.items.count == 1 })
        #expect(collector.items.first?.content == .fileRange(path: path, start: 8, end: 16))
        await collector.stop()
    }

    @Test func aMissingFolderIsAClearError() async throws {
        let root = try Fixtures.temporaryDirectory("dir") + "/missing"
        var failure: (any Error)?
        do {
            for try await _ in try source(root).items(isDone: { _ in false }) {}
        } catch {
            failure = error
        }
        #expect("\(failure.map { "\($0)" } ?? "no error")".contains("cannot watch \(root)"))
    }

    @Test func replayRebuildsItemsFromTheirKeys() throws {
        let root = try Fixtures.temporaryDirectory("dir")
        try Fixtures.write("{\"a\":1}\n{\"a\":2}\n", to: root + "/d/live.jsonl")
        try Fixtures.write("{}", to: root + "/d/x.json")
        let source = try source(root)
        #expect(source.replayItem(key: "file:d/x.json", name: "")?.content == .file(path: root + "/d/x.json"))
        #expect(source.replayItem(key: "range:d/live.jsonl@8-16", name: "")?.content
            == .fileRange(path: root + "/d/live.jsonl", start: 8, end: 16))
        #expect(source.replayItem(key: "range:d/live.jsonl@8-99", name: "") == nil)
        #expect(source.replayItem(key: "file:gone.json", name: "") == nil)
    }
}
