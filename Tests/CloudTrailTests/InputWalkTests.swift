import CloudTrail
import Foundation
import Testing

/// Walking, globs, S3-layout pruning, filters, deduplication, accounting and splitting, over temporary trees.
struct InputWalkTests {
    private func record(_ id: String, time: String, account: String = "111122223333",
                        region: String = "us-east-1") -> String {
        #"{"eventID":"\#(id)","eventTime":"\#(time)","eventName":"E","recipientAccountId":"\#(account)","#
            + #""awsRegion":"\#(region)"}"#
    }

    private func delivery(_ records: [String]) -> String { #"{"Records":["# + records.joined(separator: ",") + "]}" }

    /// AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<stamp>_x.json
    private func layoutPath(_ account: String, _ region: String, _ day: String, _ stamp: String) -> String {
        let parts = day.split(separator: "-")
        return "AWSLogs/\(account)/CloudTrail/\(region)/\(parts[0])/\(parts[1])/\(parts[2])/"
            + "\(account)_CloudTrail_\(region)_\(stamp)_abc.json"
    }

    @Test func prunesByKeyBeforeOpeningThenFiltersOnEventTime() async throws {
        let tree = try TemporaryFolder()
        defer { tree.cleanup() }
        try tree.write(layoutPath("111122223333", "us-east-1", "2024-03-01", "20240301T1005Z"),
                       delivery([record("a1", time: "2024-03-01T09:59:00Z"),
                                 record("a2", time: "2024-03-01T10:01:00Z")]))
        try tree.write(layoutPath("111122223333", "us-east-1", "2024-03-02", "20240302T0005Z"),
                       delivery([record("b1", time: "2024-03-01T23:58:00Z"),
                                 record("b2", time: "2024-03-02T00:01:00Z")]))
        try tree.write(layoutPath("111122223333", "us-east-1", "2024-03-05", "20240305T1200Z"),
                       delivery([record("c1", time: "2024-03-05T11:55:00Z")]))
        try tree.write(layoutPath("111122223333", "eu-west-1", "2024-03-01", "20240301T1005Z"),
                       delivery([record("d1", time: "2024-03-01T10:00:00Z", region: "eu-west-1")]))
        try tree.write(layoutPath("444455556666", "us-east-1", "2024-03-01", "20240301T1005Z"),
                       delivery([record("e1", time: "2024-03-01T10:00:00Z", account: "444455556666")]))
        try tree.write("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/01/digest.json.gz", "{}")

        let from = try #require(InputOptions.parseTimeBound("2024-03-01T10:00:00Z", isUpperBound: false))
        let to = try #require(InputOptions.parseTimeBound("2024-03-01", isUpperBound: true))
        let (seen, report) = try await readAll(InputOptions(paths: [tree.path], from: from, to: to,
                                                            accounts: ["111122223333"], regions: ["us-east-1"],
                                                            deliveryLagMilliseconds: 3_600_000))
        #expect(Set(seen.compactMap(\.eventID)) == ["a2", "b1"])
        // 2024-03-05 is pruned as a folder, eu-west-1 and the other account too; the digest folder is skipped.
        #expect(report.inputs.map { ($0.path as NSString).lastPathComponent }.sorted()
                == ["111122223333_CloudTrail_us-east-1_20240301T1005Z_abc.json",
                    "111122223333_CloudTrail_us-east-1_20240302T0005Z_abc.json"])
        #expect(report.prunedDirectories == 3)
        #expect(report.skippedDigestFolders == 1)
        #expect(report.totals.records == 4)
        #expect(report.totals.skippedTime == 2)
        #expect(report.totals.accepted == 2)
    }

    @Test func filtersRecordsOutsideTheLayoutByTheirOwnFields() async throws {
        let tree = try TemporaryFolder()
        defer { tree.cleanup() }
        let lines = [record("1", time: "2024-03-01T10:00:00Z"),
                     record("2", time: "2024-03-01T10:00:00Z", account: "444455556666"),
                     record("3", time: "2024-03-01T10:00:00Z", region: "eu-west-1"),
                     #"{"eventID":"4","eventTime":"2024-03-01T10:00:00Z","#
                        + #""userIdentity":{"accountId":"111122223333"},"awsRegion":"us-east-1"}"#,
                     #"{"eventID":"5","eventTime":"not a time","recipientAccountId":"111122223333","#
                        + #""awsRegion":"us-east-1"}"#,
                     record("6", time: "2024-04-01T10:00:00Z")]
        let file = try tree.write("export.jsonl", lines.joined(separator: "\n"))
        let (seen, report) = try await readAll(InputOptions(paths: [file], to: 1_711_929_600_000,
                                                            accounts: ["111122223333"], regions: ["us-east-1"]))
        #expect(seen.compactMap(\.eventID).sorted() == ["1", "4"])
        let counts = report.totals
        #expect(counts.records == 6)
        #expect(counts.skippedTime == 2)
        #expect(counts.skippedAccount == 1)
        #expect(counts.skippedRegion == 1)
        #expect(counts.records == counts.accepted + counts.skippedTime + counts.skippedAccount
                + counts.skippedRegion + counts.duplicates)
    }

    @Test func globsMatchStarQuestionMarkAndDoubleStar() async throws {
        let tree = try TemporaryFolder()
        defer { tree.cleanup() }
        try tree.write("a/one.json", record("1", time: "2024-01-01T00:00:00Z"))
        try tree.write("a/two.jsonl", record("2", time: "2024-01-01T00:00:00Z"))
        try tree.write("a/b/c/three.json", record("3", time: "2024-01-01T00:00:00Z"))
        try tree.write("a/b/four.txt", record("4", time: "2024-01-01T00:00:00Z"))
        try tree.write("a/.hidden.json", record("5", time: "2024-01-01T00:00:00Z"))
        func ids(_ pattern: String) async throws -> [String] {
            try await readAll(InputOptions(paths: [tree.path + "/" + pattern])).seen.compactMap(\.eventID).sorted()
        }
        #expect(try await ids("a/*.json") == ["1"])
        #expect(try await ids("a/*.json*") == ["1", "2"])
        #expect(try await ids("a/t?o.jsonl") == ["2"])
        #expect(try await ids("**/*.json") == ["1", "3"])
        #expect(try await ids("a/**") == ["1", "2", "3", "4"])
        #expect(try await ids("a/[ot]*") == ["1", "2"])
        let (_, report) = try await readAll(InputOptions(paths: [tree.path + "/nothing/*.json"]))
        #expect(report.pathErrors.map(\.code) == [.notFound])
        // Overlapping paths read each file once.
        let (seen, _) = try await readAll(InputOptions(paths: [tree.path + "/a", tree.path + "/a/one.json"]))
        #expect(seen.count == 4)
    }

    @Test func everyBadInputHasItsOwnMessageAndTheOthersAreRead() async throws {
        let tree = try TemporaryFolder()
        defer { tree.cleanup() }
        for name in ["records.json", "corrupt.json.gz", "truncated.json.gz", "random.bin", "empty.json",
                     "bomb.json.gz", "records-gzip.bin"] {
            try tree.copy(TestPaths.format(name), to: "in/" + name)
        }
        // A huge single line (over a 1 MiB limit here) between two good records.
        try tree.write("in/huge.jsonl", #"{"eventID":"h1"}"# + "\n" + #"{"eventID":"big","s":""#
                       + String(repeating: "x", count: 3 << 20) + "\"}\n" + #"{"eventID":"h2"}"# + "\n")
        let missing = tree.path + "/does-not-exist.json"
        let (seen, report) = try await readAll(InputOptions(paths: [tree.path + "/in", missing],
                                                            maxDocumentBytes: 1 << 20))
        func entry(_ suffix: String) -> InputFileReport? { report.inputs.first { $0.path.hasSuffix(suffix) } }
        #expect(entry("records.json")?.counts.accepted == 3)
        #expect(entry("records-gzip.bin")?.counts.accepted == 5)
        #expect(entry("corrupt.json.gz")?.error?.code == .gzipCorrupt)
        #expect(entry("truncated.json.gz")?.error?.code == .gzipTruncated)
        #expect(entry("random.bin")?.error?.code == .notJSON)
        #expect(entry("empty.json")?.error?.code == .empty)
        #expect(entry("bomb.json.gz")?.error?.code == .inflateRatio)
        #expect(entry("does-not-exist.json")?.error?.code == .notFound)
        let huge = entry("huge.jsonl")
        #expect(huge?.error == nil)
        #expect(huge?.counts.accepted == 2)
        #expect(huge?.issues.map(\.code) == [.documentTooLarge])
        #expect(huge?.issues.first?.line == 2)
        #expect(huge?.issues.first?.description.contains("huge.jsonl:2:") == true)
        let messages = report.failedInputs.compactMap { $0.error?.description }
        #expect(Set(messages).count == 6)
        #expect(messages.allSatisfy { $0.contains(tree.path) })
        // The truncated gzip still yields the records before the cut.
        let partial = entry("truncated.json.gz")?.counts.accepted ?? 0
        #expect(partial > 0)
        #expect(seen.count == 3 + 5 + 2 + partial)
        #expect(report.totals.accepted == seen.count)
    }

    @Test func duplicatesAcrossInputsAreDroppedOnce() async throws {
        let tree = try TemporaryFolder()
        defer { tree.cleanup() }
        let body = delivery([record("x", time: "2024-01-01T00:00:00Z"), record("y", time: "2024-01-01T00:00:00Z")])
        try tree.write("one.json", body)
        try tree.write("two.json", body)
        try tree.write("three.json", delivery([record("y", time: "2024-01-01T00:00:00Z"),
                                               record("z", time: "2024-01-01T00:00:00Z"),
                                               record("z", time: "2024-01-01T00:00:00Z")]))
        let (seen, report) = try await readAll(InputOptions(paths: [tree.path]))
        #expect(report.totals.records == 7)
        #expect(Set(seen.compactMap(\.eventID)) == ["x", "y", "z"])
        // z repeats inside one input and is kept twice; x and y are dropped in the second copy.
        #expect(seen.filter { $0.eventID == "z" }.count == 2)
        #expect(report.totals.duplicates == 3)
        #expect(report.totals.accepted == 4)
    }

    @Test func largeJSONLinesFileIsSplitBetweenWorkersWithExactLines() async throws {
        let tree = try TemporaryFolder()
        defer { tree.cleanup() }
        var lines: [String] = []
        let pad = String(repeating: "p", count: 200)
        for i in 0..<20_000 {
            lines.append(i == 15_000 ? #"{"eventID":"bad" "#
                         : #"{"eventID":"id-\#(i)","eventTime":"2024-01-01T00:00:00Z","pad":"\#(pad)"}"#)
        }
        let file = try tree.write("big.jsonl", lines.joined(separator: "\n") + "\n")
        let split = InputOptions(paths: [file], workers: 2, splitThresholdBytes: 1 << 20)
        let (seen, report) = try await readAll(split)
        let (seenWhole, whole) = try await readAll(InputOptions(paths: [file], workers: 1))
        #expect(report.inputs.count == 1)
        // The cut-short line 15,001 is only detected on line 15,002, which is then read all the same.
        #expect(seen.count == 19_999)
        #expect(seenWhole.count == 19_999)
        #expect(Set(seen.compactMap(\.eventID)) == Set(seenWhole.compactMap(\.eventID)))
        #expect(report.totals == whole.totals)
        #expect(report.inputs[0].issues.map(\.line) == [15_002])
        #expect(whole.inputs[0].issues.map(\.line) == [15_002])
        #expect(whole.inputs[0].issues.first?.message.contains("starts on line 15001") == true)
        #expect(report.inputs[0].issues.map(\.byteOffset) == whole.inputs[0].issues.map(\.byteOffset))
        #expect(report.inputs[0].format == .jsonLines)
        // Records of chunks after the first have no line (only known once every chunk is read).
        #expect(seen.contains { $0.line == nil })
        #expect(seenWhole.allSatisfy { $0.line != nil })
    }

    @Test func readsStandardInput() async throws {
        // Standard input is replaced by a pipe for the duration of the test (no other test reads it).
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let saved = dup(0)
        #expect(dup2(fds[0], 0) == 0)
        close(fds[0])
        defer {
            dup2(saved, 0)
            close(saved)
        }
        let gzip = try fileBytes(TestPaths.format("records-gzip.bin"))
        let written = gzip.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        #expect(written == gzip.count)
        close(fds[1])
        let (seen, report) = try await readAll(InputOptions(paths: ["-"]))
        #expect(seen.count == 5)
        #expect(report.inputs.map(\.path) == ["-"])
        #expect(report.inputs.first?.isGzip == true)
        #expect(seen.allSatisfy { $0.path == "-" })
    }

    @Test func invalidOptionsThrow() async throws {
        await #expect(throws: InputIssue.self) { try await readAll(InputOptions(paths: [])) }
        await #expect(throws: InputIssue.self) { try await readAll(InputOptions(paths: ["x"], from: 10, to: 5)) }
    }

    @Test func s3KeysAreParsed() {
        let key = S3KeyInfo.parse("/data/AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2024/03/01/"
                                  + "111122223333_CloudTrail_eu-west-1_20240301T1005Z_x.json.gz")
        #expect(key?.account == "111122223333")
        #expect(key?.region == "eu-west-1")
        #expect(key?.year == 2024 && key?.month == 3 && key?.day == 1)
        #expect(key?.deliveryTime == Timestamp.milliseconds("2024-03-01T10:05:00Z"))
        #expect(S3KeyInfo.parse("/data/AWSLogs/111122223333/CloudTrail")?.region == nil)
        #expect(S3KeyInfo.parse("/data/logs/file.json") == nil)
    }
}
