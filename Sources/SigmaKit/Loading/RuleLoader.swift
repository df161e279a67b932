import Foundation
import Synchronization

/// Loads Sigma rule, correlation and filter documents from files, directory trees or text.
///
/// Loading never stops at the first problem: every document is parsed on its own, a bad document is
/// rejected with positioned error diagnostics, and the good ones are kept. After a whole load, references
/// between documents are validated (correlation `rules` and `aliases`, unique names, no correlation cycles).
///
/// ```swift
/// let collection = RuleLoader().load(paths: ["rules/cloud/aws"])
/// for diagnostic in collection.diagnostics { print(diagnostic) }
/// ```
public struct RuleLoader: Sendable {
    /// The options in force.
    public var options: LoaderOptions

    /// Creates a loader.
    public init(options: LoaderOptions = .init()) {
        self.options = options
    }

    /// Loads files and directory trees. Directories are walked recursively in sorted order, reading files
    /// whose extension is in `LoaderOptions.fileExtensions` (hidden entries skipped); files named
    /// explicitly are always read. Files are parsed in parallel; the result does not depend on it.
    public func load(paths: [String]) -> RuleCollection {
        var files: [String] = []
        var problems: [Diagnostic] = []
        for path in paths {
            collectFiles(path, explicit: true, into: &files, problems: &problems)
        }
        let results = Mutex<[Int: FileResult]>([:])
        let fileList = files
        DispatchQueue.concurrentPerform(iterations: fileList.count) { index in
            let result = loadFile(at: fileList[index])
            results.withLock { $0[index] = result }
        }
        var accumulator = Accumulator()
        accumulator.diagnostics = problems
        accumulator.documentsRejected = problems.count
        let all = results.withLock { $0 }
        for index in fileList.indices {
            if let result = all[index] { accumulator.add(result) }
        }
        return accumulator.finish()
    }

    /// Loads the documents of one YAML text, as if it were the file `path`.
    public func load(yaml: String, path: String = "<memory>") -> RuleCollection {
        var accumulator = Accumulator()
        accumulator.add(loadText(yaml, path: path))
        return accumulator.finish()
    }

    /// Loads the documents of one file's bytes, which must be UTF-8 (an invalid sequence is reported with
    /// its byte offset, line and column).
    public func load(data: [UInt8], path: String) -> RuleCollection {
        var accumulator = Accumulator()
        accumulator.add(loadBytes(data, path: path))
        return accumulator.finish()
    }

    // MARK: - Files

    private func collectFiles(_ path: String, explicit: Bool, into files: inout [String], problems: inout [Diagnostic])
    {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            problems.append(
                Diagnostic(
                    RuleError(
                        .unreadable, "no such file or directory", at: SourceLocation(path: path, line: 1, column: 1))))
            return
        }
        if !isDirectory.boolValue {
            if explicit || options.fileExtensions.contains((path as NSString).pathExtension.lowercased()) {
                files.append(path)
            }
            return
        }
        let entries: [String]
        do {
            entries = try manager.contentsOfDirectory(atPath: path).sorted()
        } catch {
            problems.append(
                Diagnostic(
                    RuleError(
                        .unreadable, "the directory cannot be listed",
                        at: SourceLocation(path: path, line: 1, column: 1))))
            return
        }
        for entry in entries where !entry.hasPrefix(".") {
            let child = path.hasSuffix("/") ? path + entry : path + "/" + entry
            collectFiles(child, explicit: false, into: &files, problems: &problems)
        }
    }

    func loadFile(at path: String) -> FileResult {
        let location = SourceLocation(path: path, line: 1, column: 1)
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (attributes[.size] as? NSNumber)?.intValue, size > options.maxFileBytes
        {
            return FileResult(
                path: path,
                failure: RuleError(
                    .resourceLimit,
                    "the file is \(size) bytes; the limit is \(options.maxFileBytes) (LoaderOptions.maxFileBytes)",
                    at: location))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return FileResult(path: path, failure: RuleError(.unreadable, "the file cannot be opened", at: location))
        }
        defer { try? handle.close() }
        // Read at most one byte past the limit: the file may have grown since it was measured.
        let data = (try? handle.read(upToCount: options.maxFileBytes + 1)) ?? Data()
        if data.count > options.maxFileBytes {
            return FileResult(
                path: path,
                failure: RuleError(
                    .resourceLimit,
                    "the file is larger than the limit of \(options.maxFileBytes) bytes (LoaderOptions.maxFileBytes)",
                    at: location))
        }
        return loadBytes([UInt8](data), path: path)
    }

    func loadBytes(_ bytes: [UInt8], path: String) -> FileResult {
        if bytes.count > options.maxFileBytes {
            return FileResult(
                path: path,
                failure: RuleError(
                    .resourceLimit,
                    "the file is \(bytes.count) bytes; the limit is \(options.maxFileBytes) "
                        + "(LoaderOptions.maxFileBytes)",
                    at: SourceLocation(path: path, line: 1, column: 1)))
        }
        switch UTF8Validation.validate(bytes) {
        case .invalid(let offset, let line, let column):
            return FileResult(
                path: path,
                failure: RuleError(
                    .unreadable,
                    "the file is not valid UTF-8: invalid byte sequence at byte offset \(offset) "
                        + "(line \(line), column \(column))",
                    at: SourceLocation(path: path, line: line, column: column)))
        case .valid:
            var body = bytes[...]
            if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }  // UTF-8 byte order mark
            return loadText(String(decoding: body, as: UTF8.self), path: path)
        }
    }

    /// Splits, composes and parses every document of one file, applying legacy collection actions (Y-04).
    func loadText(_ text: String, path: String) -> FileResult {
        var result = FileResult(path: path)
        if text.utf8.count > options.maxFileBytes {
            result.reject(
                RuleError(
                    .resourceLimit,
                    "the text is \(text.utf8.count) bytes; the limit is \(options.maxFileBytes) "
                        + "(LoaderOptions.maxFileBytes)",
                    at: SourceLocation(path: path, line: 1, column: 1)))
            return result
        }
        let composer = YAMLComposer(path: path, maxNodes: options.maxNodes, maxScalarBytes: options.maxScalarBytes)
        var collection = LegacyCollectionState()
        for source in YAMLDocumentSplitter.split(text) {
            let root: YAMLNode
            do {
                guard let node = try composer.compose(source) else { continue }  // Y-01: empty documents
                root = node
            } catch {
                result.reject(error)
                continue
            }
            let origin = RuleOrigin(
                path: path, documentIndex: source.index, rawText: source.rawText,
                location: SourceLocation(path: path, line: source.rawFirstLine, column: 1))
            guard root.mapping != nil else {
                result.reject(
                    RuleError(
                        .invalidAttribute,
                        "a Sigma document must be a map of attributes (title, logsource, ...), not "
                            + root.kindDescription,
                        at: root.location))
                continue
            }
            let rejectedBefore = result.documentsRejected
            defer {
                if result.documentsRejected > rejectedBefore {
                    for key in ["id", "name"] {
                        if let text = root[key]?.string {
                            result.rejectedIdentities.insert(RuleIdentifier.normalizedUUID(text) ?? text)
                        }
                    }
                }
            }
            let step: LegacyCollectionState.Step
            do {
                step = try collection.next(root)
            } catch {
                result.reject(error)
                continue
            }
            switch step {
            case .none: continue
            case .rule(let merged): parseRule(merged, origin: origin, into: &result)
            case .correlation(let node):
                var parser = DocumentParser(path: path, origin: origin, placeholders: options.placeholders)
                if let (correlation, sites) = parser.parseCorrelation(node) {
                    result.correlations.append(
                        PendingCorrelation(
                            correlation: correlation, sites: sites,
                            nameLocation: node["name"]?.location ?? node.location))
                } else {
                    result.reject(Self.naming(parser.errors, title: node["title"]?.string))
                }
            case .filter(let node):
                var parser = DocumentParser(path: path, origin: origin, placeholders: options.placeholders)
                if let (filter, _) = parser.parseFilter(node) {
                    result.filters.append(filter)
                } else {
                    result.reject(Self.naming(parser.errors, title: node["title"]?.string))
                }
            }
        }
        return result
    }

    private func parseRule(_ node: YAMLNode, origin: RuleOrigin, into result: inout FileResult) {
        var parser = DocumentParser(path: origin.path, origin: origin, placeholders: options.placeholders)
        if let rule = parser.parseRule(node) {
            result.rules.append(PendingRule(rule: rule, nameLocation: node["name"]?.location ?? node.location))
        } else {
            result.reject(Self.naming(parser.errors, title: node["title"]?.string))
        }
    }

    /// D13: an unsupported construct's error names the rule as well as the position and the construct.
    static func naming(_ errors: [RuleError], title: String?) -> [RuleError] {
        guard let title else { return errors }
        return errors.map { error in
            guard error.code == .unsupported else { return error }
            var named = error
            named.message = "rule '\(title)': " + error.message
            return named
        }
    }
}

/// A detection rule with the position of its `name`, for MD-03.
struct PendingRule: Sendable {
    var rule: SigmaRule
    var nameLocation: SourceLocation
}

/// A correlation with the positions of its references, for cross-document validation.
struct PendingCorrelation: Sendable {
    var correlation: SigmaCorrelation
    var sites: ReferenceSites
    var nameLocation: SourceLocation
}

/// What one file produced.
struct FileResult: Sendable {
    var path: String
    var rules: [PendingRule] = []
    var correlations: [PendingCorrelation] = []
    var filters: [SigmaFilter] = []
    var diagnostics: [Diagnostic] = []
    var documentsRejected = 0
    /// Ids and names written in rejected documents.
    var rejectedIdentities: Set<String> = []

    init(path: String) { self.path = path }

    init(path: String, failure: RuleError) {
        self.path = path
        reject(failure)
    }

    mutating func reject(_ error: RuleError) { reject([error]) }

    mutating func reject(_ errors: [RuleError]) {
        documentsRejected += 1
        diagnostics += errors.map(Diagnostic.init)
    }
}

/// UTF-8 validation that reports where the first invalid sequence is.
enum UTF8Validation {
    enum Result {
        case valid
        case invalid(offset: Int, line: Int, column: Int)
    }

    static func validate(_ bytes: [UInt8]) -> Result {
        // Fast path: the standard library's validating decoder.
        if String(validating: bytes, as: UTF8.self) != nil { return .valid }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        var line = 1
        var column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1 && encoded.first == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                offset += encoded.count
            case .error:
                return .invalid(offset: offset, line: line, column: column)
            case .emptyInput:
                return .valid
            }
        }
    }
}
