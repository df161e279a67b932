import CloudTrail
import Foundation
import SigmaKit
import Testing

private func id(_ n: Int) -> String { String(format: "00000000-0000-4000-8000-%012d", n) }

/// Every container format, from fixtures written for them (Fixtures/formats, generated once by a script
/// whose output is committed), read from memory and in pieces.
struct FormatTests {
    struct Expectation: Sendable, CustomStringConvertible {
        var file: String
        var ids: [String]
        var format: InputFormat
        var gzip = false
        var rejected = 0
        var issueCodes: [InputIssue.Code] = []
        var error: InputIssue.Code?
        var description: String { file }
    }

    static let expectations: [Expectation] = [
        Expectation(file: "records.json", ids: (1...3).map(id), format: .recordsObject),
        Expectation(file: "records-gzip.bin", ids: (11...15).map(id), format: .recordsObject, gzip: true),
        Expectation(file: "records-late-key.json", ids: (21...22).map(id), format: .recordsObject),
        Expectation(file: "array.json", ids: (31...34).map(id), format: .array),
        Expectation(file: "single.json", ids: [id(41)], format: .object),
        Expectation(file: "lines.jsonl", ids: (51...55).map(id), format: .jsonLines),
        // Panther `log`, StreamAlert `event`, AWS docs `event`, Elasticsearch `_source`; two wrapper members
        // are ambiguous and the object is kept whole.
        Expectation(file: "wrappers.jsonl", ids: (61...64).map(id) + ["?"], format: .jsonLines),
        // EventBridge envelopes (also inside a wrapper); a non-CloudTrail envelope is kept whole.
        Expectation(file: "eventbridge.jsonl", ids: (71...73).map(id) + ["?"], format: .jsonLines),
        Expectation(file: "bom-crlf.jsonl", ids: [id(81), id(82)], format: .jsonLines),
        Expectation(file: "bad-lines.jsonl", ids: [id(91), "x", id(92)], format: .jsonLines, rejected: 2,
                    issueCodes: [.invalidJSON, .notARecord]),
        Expectation(file: "multimember.json.gz", ids: [id(151), id(152)], format: .jsonLines, gzip: true),
        Expectation(file: "escapes.json", ids: ["esc-1"], format: .recordsObject),
        Expectation(file: "corrupt.json.gz", ids: [], format: .unknown, gzip: true, error: .gzipCorrupt),
        Expectation(file: "random.bin", ids: [], format: .object, rejected: 1, issueCodes: [.notJSON],
                    error: .notJSON),
        Expectation(file: "empty.json", ids: [], format: .unknown, error: .empty),
        Expectation(file: "bomb.json.gz", ids: [], format: .unknown, gzip: true, error: .inflateRatio),
    ]

    @Test(arguments: expectations)
    func readsFixture(_ expected: Expectation) throws {
        let bytes = try fileBytes(TestPaths.format(expected.file))
        let (ids, report) = extract(bytes)
        #expect(ids == expected.ids)
        #expect(report.format == expected.format)
        #expect(report.isGzip == expected.gzip)
        #expect(report.counts.records == expected.ids.count)
        #expect(report.counts.rejected == expected.rejected)
        #expect(report.issues.map(\.code) == expected.issueCodes, "\(report.issues)")
        #expect(report.error?.code == expected.error, "\(String(describing: report.error))")
        if let error = report.error { #expect(!error.message.isEmpty) }
    }

    @Test(arguments: expectations.filter { $0.file != "bomb.json.gz" }, [1, 2, 7, 61])
    func readingInPiecesGivesTheSameResult(_ expected: Expectation, _ readSize: Int) throws {
        let bytes = try fileBytes(TestPaths.format(expected.file))
        let whole = extract(bytes)
        let pieces = extract(bytes, readSize: readSize)
        #expect(pieces.ids == whole.ids)
        #expect(pieces.report.counts == whole.report.counts)
        #expect(pieces.report.issues == whole.report.issues)
        #expect(pieces.report.error == whole.report.error)
    }

    @Test func truncatedGzipKeepsTheRecordsBeforeTheCut() throws {
        let (ids, report) = extract(try fileBytes(TestPaths.format("truncated.json.gz")))
        #expect(report.error?.code == .gzipTruncated)
        #expect(report.error?.message.contains("truncated") == true)
        #expect(ids.count > 10 && ids.count < 60, "\(ids.count)")
        #expect(ids.first == id(100))
        #expect(report.counts.rejected == 0)
    }

    @Test func truncatedPlainArrayIsReported() throws {
        let (ids, report) = extract(try fileBytes(TestPaths.format("truncated-array.json")))
        #expect(ids == [id(171), id(172)])
        #expect(report.issues.map(\.code) == [.truncated])
        #expect(report.issues.first?.line == 1)
    }

    @Test func wrappedAndEnvelopedRecordsExposeTheInnerFields() throws {
        var names: [String] = []
        var timestamps: [String] = []
        let options = InputOptions(paths: [])
        for file in ["lines.jsonl", "eventbridge.jsonl", "escapes.json"] {
            _ = RecordExtractor(options: options).read(try fileBytes(TestPaths.format(file))) { event in
                names.append(event.eventName ?? "-")
                if let stamp = event.string(at: FieldPath("@timestamp")) { timestamps.append(stamp) }
                if event.eventID == "esc-1" {
                    #expect(values(event, "requestParameters.k\u{E9}y") == ["string:caf\u{E9} \u{1F600}"])
                    #expect(values(event, "requestParameters.policy")
                            == [#"string:{"Effect":"Allow","Action":"s3:GetObject"}"#])
                }
            }
        }
        #expect(names == Array(repeating: "DescribeInstances", count: 5)
                + ["DescribeInstances", "ConsoleLogin", "DescribeInstances", "-", "PutObject"])
        #expect(timestamps == ["2024-03-01T10:00:54.000Z"])
    }

    @Test func positionsOfRecordsAndIssuesAreExact() throws {
        let text = "{\"eventID\":\"a\"}\n\n  {\"eventID\":\"b\"}\n{\"eventID\":\n}\n"
            + "[{\"eventID\":\"c\"},\n {\"eventID\":\"d\"}]\n"
        var seen: [(String, Int?, Int)] = []
        let report = RecordExtractor().read(Array(text.utf8)) { event in
            seen.append((event.eventID ?? "?", event.line, event.byteOffset))
        }
        #expect(seen.map(\.0) == ["a", "b", "c", "d"])
        #expect(seen.map(\.1) == [1, 3, 6, 7])
        #expect(seen.map(\.2) == [0, 19, 50, 68])
        #expect(report.issues.count == 1)
        let issue = try #require(report.issues.first)
        #expect(issue.code == .invalidJSON)
        #expect(issue.line == 5)
        #expect(issue.byteOffset == 47)
        #expect(issue.jsonCode == .unexpectedByte)
        #expect(issue.description.hasPrefix("<memory>:5: (byte 47) invalid JSON"))
    }

    @Test func badLinesAreRejectedAndTheRestIsRead() throws {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        var lines = [#"{"eventID":"1"}"#, deep, #"{"eventID":"2"}"#]
        lines.append("{\"eventID\":\"3\u{0}\"}")           // raw NUL in a string
        lines.append(#"{"eventID":"4"}"#)
        var bytes = Array(lines.joined(separator: "\n").utf8) + [0x0A]
        bytes += Array(#"{"eventID":"5","bad":""#.utf8) + [0xC3, 0x28] + Array("\"}\n".utf8)  // invalid UTF-8
        bytes += Array("{\"eventID\":\"6\"}\n".utf8)
        let (ids, report) = extract(bytes)
        #expect(ids == ["1", "2", "4", "6"])
        #expect(report.issues.map(\.code) == [.depthLimit, .invalidJSON, .invalidJSON])
        #expect(report.issues.map(\.jsonCode) == [.depthLimit, .controlCharacter, .invalidUTF8])
        #expect(report.issues.map(\.line) == [2, 4, 6])
        #expect(report.counts.rejected == 3)
    }

    @Test func hugeSingleLineIsSkippedWithItsLineAndTheRestIsRead() throws {
        let limit = 1 << 20
        var bytes = Array(#"{"eventID":"before"}"#.utf8) + [0x0A]
        bytes += Array(#"{"eventID":"huge","blob":""#.utf8) + Array(repeating: 0x61, count: 3 * limit)
            + Array("\",\"x\":[1,{\"y\":\"}\"}]}\n".utf8)
        bytes += Array(#"{"eventID":"after"}"#.utf8) + [0x0A]
        let options = InputOptions(paths: [], maxDocumentBytes: limit)
        for readSize in [1 << 20, 4096] {
            let (ids, report) = extract(bytes, options: options, readSize: readSize)
            #expect(ids == ["before", "after"])
            #expect(report.issues.map(\.code) == [.documentTooLarge])
            #expect(report.issues.first?.line == 2)
            #expect(report.issues.first?.byteOffset == 21)
            #expect(report.issues.first?.message.contains("\(limit) bytes") == true)
        }
        // The same inside a Records array: the element is skipped, the next ones are read.
        var records = Array(#"{"Records":[{"eventID":"r1"},{"eventID":"big","s":""#.utf8)
        records += Array(repeating: 0x62, count: 2 * limit) + Array(#""},{"eventID":"r2"}]}"#.utf8)
        let (ids, report) = extract(records, options: options)
        #expect(ids == ["r1", "r2"])
        #expect(report.issues.map(\.code) == [.documentTooLarge])
    }

    @Test func readerMemoryStaysBoundedByTheDocumentLimit() throws {
        // 20 MiB of JSON Lines in 4 KiB pieces: the buffer never needs more than a few chunks.
        let line = Array((#"{"eventID":"x","pad":""# + String(repeating: "p", count: 900) + "\"}\n").utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20 << 20)
        while bytes.count < 20 << 20 { bytes += line }
        let (ids, report) = extract(bytes, readSize: 4096)
        #expect(ids.count == bytes.count / line.count)
        #expect(report.issues.isEmpty)
    }

    @Test func recordsObjectWithOtherMembersAfterTheArray() throws {
        let text = #"{"Records":[{"eventID":"a"},{"eventID":"b"}],"digest":{"x":[1,2]},"n":1}"#
        let (ids, report) = extract(Array(text.utf8))
        #expect(ids == ["a", "b"])
        #expect(report.issues.isEmpty)
        #expect(report.format == .recordsObject)
        let broken = #"{"Records":[{"eventID":"a"},{"eventID":"b"}],"digest" 1}"#
        let (ids2, report2) = extract(Array(broken.utf8))
        #expect(ids2 == ["a", "b"])
        #expect(report2.issues.map(\.code) == [.invalidJSON])
    }

    @Test func nonObjectRecordsAreRejected() throws {
        let text = #"{"Records":[{"eventID":"a"},42,"s",null,[1]]}"#
        let (ids, report) = extract(Array(text.utf8))
        #expect(ids == ["a"])
        #expect(report.counts.rejected == 4)
        #expect(report.issues.allSatisfy { $0.code == .notARecord })
    }
}
