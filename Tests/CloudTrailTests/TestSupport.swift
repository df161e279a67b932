import CloudTrail
import Foundation
import SigmaKit
import Testing

/// Paths of the test fixtures and of the shared corpus.
enum TestPaths {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let formats = testsDirectory.appendingPathComponent("Fixtures/formats").path
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    /// `../shared/data/cloudtrail` from the package root (absent outside the project's workplace).
    static let corpus = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/cloudtrail").path

    static func format(_ name: String) -> String { formats + "/" + name }

    static func corpusFolder(_ name: String) -> String? {
        let path = corpus + "/" + name
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}

/// A fresh temporary folder, removed by `cleanup()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "cloudtrail-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String { try write(relative, Array(text.utf8)) }

    @discardableResult
    func copy(_ source: String, to relative: String) throws -> String {
        try write(relative, Array(try Data(contentsOf: URL(fileURLWithPath: source))))
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// What a test keeps of each visited record.
struct Seen: Sendable, Hashable {
    var path: String
    var eventID: String?
    var eventName: String?
    var line: Int?
    var byteOffset: Int
}

/// Runs `readRecords` and flattens what was visited.
func readAll(_ options: InputOptions) async throws -> (seen: [Seen], report: InputReport) {
    let (states, report) = try await readRecords(options: options, makeState: { [Seen]() }) { state, event in
        state.append(Seen(path: event.inputPath, eventID: event.eventID, eventName: event.eventName,
                          line: event.line, byteOffset: event.byteOffset))
    }
    return (states.flatMap { $0 }, report)
}

/// Reads bytes in memory with a fresh extractor; returns the records' eventIDs (or names) and the report.
func extract(_ bytes: [UInt8], options: InputOptions = InputOptions(paths: []), readSize: Int = 1 << 20)
    -> (ids: [String], report: InputFileReport) {
    var ids: [String] = []
    let report = RecordExtractor(options: options).read(bytes, readSize: readSize) { event in
        ids.append(event.eventID ?? event.eventName ?? "?")
    }
    return (ids, report)
}

func fileBytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Every value visited at `path`, as (kind, text).
func values(_ event: some SigmaEvent, _ path: String) -> [String] {
    var out: [String] = []
    _ = event.anyValue(at: FieldPath(path)) { value in
        out.append("\(value.kind):\(value.text)")
        return false
    }
    return out
}
