import Foundation
import SigmaKit

/// One CloudTrail record, read in place from a parsed document: the event the Sigma engine matches.
///
/// Construction costs three words; nothing is decoded until a field is read. The event borrows the reader's
/// buffer and tape: it is valid only during the callback that received it (``readRecords(options:makeState:visit:)``
/// or ``withEvent(parsing:unwrap:_:)``). To keep an event, copy it with ``makeOwned()``.
///
/// Field resolution follows the semantics contract:
/// - EV-01: a top-level key equal to the whole dotted name wins; otherwise the name is split on `.` and walked.
/// - EV-02 / D2: arrays met on the path or at its end fan out, recursively; an object element is visited as
///   its compact JSON text (D1).
/// - D1: an object or array read as text is compact JSON in source key order, strings unescaped between their
///   quotes.
/// - Numbers are visited as their JSON text, booleans as `true` / `false` (D3), null as ``FieldValueKind/null``
///   (never as a string), and a missing key is not visited at all.
/// - Keys are compared byte for byte (case-sensitive); with duplicate keys the first one wins.
public struct CloudTrailEvent: SigmaEvent {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let tape: UnsafePointer<TapeEntry>
    @usableFromInline let root: Int
    /// The input the record was read from (a path, `-` for standard input, `<memory>` when parsed directly).
    public let inputPath: String
    /// 0-based offset of the record's first byte in the (decompressed) input.
    public let byteOffset: Int
    /// 1-based line of the record's first byte in the (decompressed) input; nil inside a chunk of a JSON Lines
    /// file split between workers, where the line is only known once all chunks are read.
    public let line: Int?

    @inlinable init(base: UnsafePointer<UInt8>, tape: UnsafePointer<TapeEntry>, root: Int,
                    inputPath: String = "<memory>", byteOffset: Int = 0, line: Int? = 1) {
        self.base = base
        self.tape = tape
        self.root = root
        self.inputPath = inputPath
        self.byteOffset = byteOffset
        self.line = line
    }

    /// The record as a JSON value (its root object).
    public var json: JSONValue { JSONValue(base: base, tape: tape, index: root) }

    // MARK: SigmaEvent

    /// Visits each value at `path` (EV-01 literal key first, then the dotted walk; arrays fan out).
    public func anyValue(at path: FieldPath, where body: (FieldValue) -> Bool) -> Bool {
        let literal = memberIndex(tape, base, root, path.nameBuffer)
        if literal >= 0 { return visit(literal, body) }
        // A single component is the same lookup as the literal one.
        if path.componentCount < 2 { return false }
        return walk(root, path, 0, body)
    }

    /// Whether `path` is missing, only null, or present (an empty array or object is present).
    public func presence(of path: FieldPath) -> FieldPresence {
        let literal = memberIndex(tape, base, root, path.nameBuffer)
        if literal >= 0 { return presenceOfValue(literal) }
        if path.componentCount < 2 { return .missing }
        return walkPresence(root, path, 0)
    }

    /// Visits every string, number and boolean of the record in source order (keys and nulls excluded).
    public func anyLeaf(where body: (FieldValue) -> Bool) -> Bool {
        let end = Int(tape[root].next)
        var i = root + 1
        while i < end {
            let e = tape[i]
            switch e.kind {
            case .string where e.flags & TapeEntry.key == 0, .number, .trueLiteral, .falseLiteral:
                if emit(i, body) { return true }
            default:
                break
            }
            i += 1
        }
        return false
    }

    // MARK: Walking

    private func walk(_ index: Int, _ path: FieldPath, _ depth: Int,
                      _ body: (FieldValue) -> Bool) -> Bool {
        let e = tape[index]
        if e.kind == .array {
            var i = index + 1
            let end = Int(e.next)
            while i < end {
                if walk(i, path, depth, body) { return true }
                i = Int(tape[i].next)
            }
            return false
        }
        guard e.kind == .object else { return false }
        let child = memberIndex(tape, base, index, path.componentBuffer(depth))
        guard child >= 0 else { return false }
        if depth + 1 == path.componentCount { return visit(child, body) }
        return walk(child, path, depth + 1, body)
    }

    /// Visits a value found at the end of a path: arrays fan out (recursively), everything else is emitted.
    private func visit(_ index: Int, _ body: (FieldValue) -> Bool) -> Bool {
        let e = tape[index]
        if e.kind == .array {
            var i = index + 1
            let end = Int(e.next)
            while i < end {
                if visit(i, body) { return true }
                i = Int(tape[i].next)
            }
            return false
        }
        return emit(index, body)
    }

    private func emit(_ index: Int, _ body: (FieldValue) -> Bool) -> Bool {
        let kind: FieldValueKind
        switch tape[index].kind {
        case .string: kind = .string
        case .number: kind = .number
        case .trueLiteral, .falseLiteral: kind = .bool
        case .null: kind = .null
        case .object: kind = .object
        case .array: kind = .array
        }
        return withValueText(base, tape, index) { body(FieldValue(kind: kind, bytes: $0)) }
    }

    private func walkPresence(_ index: Int, _ path: FieldPath,
                              _ depth: Int) -> FieldPresence {
        let e = tape[index]
        if e.kind == .array {
            var result = FieldPresence.missing
            var i = index + 1
            let end = Int(e.next)
            while i < end {
                let r = walkPresence(i, path, depth)
                if r == .present { return .present }
                if r == .null { result = .null }
                i = Int(tape[i].next)
            }
            return result
        }
        guard e.kind == .object else { return .missing }
        let child = memberIndex(tape, base, index, path.componentBuffer(depth))
        guard child >= 0 else { return .missing }
        if depth + 1 == path.componentCount { return presenceOfValue(child) }
        return walkPresence(child, path, depth + 1)
    }

    private func presenceOfValue(_ index: Int) -> FieldPresence {
        let e = tape[index]
        switch e.kind {
        case .null:
            return .null
        case .array:
            // An empty array is present (EV-08); an array of nulls only is null.
            var i = index + 1
            let end = Int(e.next)
            if i == end { return .present }
            var result = FieldPresence.missing
            while i < end {
                let r = presenceOfValue(i)
                if r == .present { return .present }
                if r == .null { result = .null }
                i = Int(tape[i].next)
            }
            return result
        default:
            return .present
        }
    }

    // MARK: Convenience accessors

    /// The first scalar (string, number or boolean) value at `path`, as text; nil if there is none.
    public func string(at path: FieldPath) -> String? {
        var result: String?
        _ = anyValue(at: path) { value in
            switch value.kind {
            case .string, .number, .bool:
                result = value.text
                return true
            default:
                return false
            }
        }
        return result
    }

    /// The first scalar value of a top-level key, without building a ``FieldPath``.
    public func topLevelString(_ key: String) -> String? {
        guard let value = json[key] else { return nil }
        switch value.kind {
        case .string, .number, .bool: return value.text
        default: return nil
        }
    }

    /// `eventID`, if the record has one as a string.
    public var eventID: String? { json["eventID"].flatMap { $0.string } }

    /// `eventName`, if present.
    public var eventName: String? { json["eventName"].flatMap { $0.string } }

    /// `eventSource`, if present.
    public var eventSource: String? { json["eventSource"].flatMap { $0.string } }

    /// `eventTime` in milliseconds since the Unix epoch, or nil when absent or not a valid RFC 3339 time.
    public var eventTimeMilliseconds: Int64? {
        guard let value = json["eventTime"], value.kind == .string else { return nil }
        return value.withTextBytes { Timestamp.milliseconds($0) }
    }

    /// `eventTime` as a `Date`, or nil when absent or invalid.
    public var eventTime: Date? {
        eventTimeMilliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    /// The record's exact source bytes (as delivered: whitespace and escapes kept).
    public var rawBytes: UnsafeBufferPointer<UInt8> { json.rawBytes }

    /// The record's exact source text.
    public var rawJSON: String { String(decoding: rawBytes, as: UTF8.self) }

    /// A copy that owns its bytes and can be kept after the callback.
    public func makeOwned() -> OwnedCloudTrailEvent {
        // Infallible in practice: the bytes were validated when this event was read.
        (try? OwnedCloudTrailEvent(json: Array(rawBytes))) ?? OwnedCloudTrailEvent(validatedEmpty: ())
    }

    // MARK: Parsing a single record

    /// Parses `json` (one record, or a wrapper / envelope when `unwrap` is true) and calls `body` with the
    /// event. Meant for tests and one-off use: ``readRecords(options:makeState:visit:)`` is the fast path.
    /// - Throws: ``JSONError`` if the text is not valid JSON, ``InputIssue`` if it is not an object.
    public static func withEvent<R>(parsing json: String, unwrap: Bool = false,
                                    _ body: (CloudTrailEvent) throws -> R) throws -> R {
        let scanner = JSONScanner()
        return try scanner.parse(json) { value in
            var index = value.index
            if unwrap { index = RecordClassifier.recordIndex(value.tape, value.base, value.index) }
            guard value.tape[index].kind == .object else {
                throw InputIssue(code: .notARecord, message: "the JSON value is not an object", path: "<memory>")
            }
            return try body(CloudTrailEvent(base: value.base, tape: value.tape, root: index))
        }
    }
}

/// A CloudTrail event that owns its JSON bytes and tape, for keeping events beyond a reader callback (tests,
/// correlation state, "raw events kept on request"). Immutable, so it can be shared between tasks.
public final class OwnedCloudTrailEvent: SigmaEvent, @unchecked Sendable {
    private let bytes: UnsafeMutablePointer<UInt8>
    private let byteCount: Int
    private let tape: UnsafeMutablePointer<TapeEntry>
    private let tapeCount: Int

    /// Parses one JSON object.
    /// - Throws: ``JSONError`` if the bytes are not one valid JSON text, ``InputIssue`` if it is not an object.
    public init(json: [UInt8], limits: JSONLimits = JSONLimits()) throws {
        let scanner = JSONScanner(limits: limits)
        let count = try scanner.parse(json) { value -> Int in
            guard value.kind == .object else {
                throw InputIssue(code: .notARecord, message: "the JSON value is not an object", path: "<memory>")
            }
            return scanner.count
        }
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(json.count, 1))
        json.withUnsafeBufferPointer { storage.initialize(from: $0.baseAddress.unsafelyUnwrapped, count: $0.count) }
        let tapeStorage = UnsafeMutablePointer<TapeEntry>.allocate(capacity: max(count, 1))
        tapeStorage.initialize(from: scanner.tape, count: count)
        byteCount = json.count
        bytes = storage
        tapeCount = count
        tape = tapeStorage
    }

    /// Parses the UTF-8 of `json`.
    public convenience init(json: String) throws {
        try self.init(json: Array(json.utf8))
    }

    /// An empty object `{}`.
    init(validatedEmpty: ()) {
        byteCount = 2
        bytes = .allocate(capacity: 2)
        bytes[0] = 0x7B
        bytes[1] = 0x7D
        tapeCount = 1
        tape = .allocate(capacity: 1)
        tape.initialize(to: TapeEntry(kind: .object, flags: 0, start: 0, end: 2, next: 1))
    }

    deinit {
        bytes.deallocate()
        tape.deallocate()
    }

    /// The borrowed view; valid while this object is alive.
    public var event: CloudTrailEvent { CloudTrailEvent(base: bytes, tape: tape, root: 0) }

    /// See ``CloudTrailEvent/anyValue(at:where:)``.
    public func anyValue(at path: FieldPath, where body: (FieldValue) -> Bool) -> Bool {
        withExtendedLifetime(self) { event.anyValue(at: path, where: body) }
    }

    /// See ``CloudTrailEvent/presence(of:)``.
    public func presence(of path: FieldPath) -> FieldPresence {
        withExtendedLifetime(self) { event.presence(of: path) }
    }

    /// See ``CloudTrailEvent/anyLeaf(where:)``.
    public func anyLeaf(where body: (FieldValue) -> Bool) -> Bool {
        withExtendedLifetime(self) { event.anyLeaf(where: body) }
    }

    /// The record's exact source text.
    public var rawJSON: String { String(decoding: UnsafeBufferPointer(start: bytes, count: byteCount), as: UTF8.self) }
}
