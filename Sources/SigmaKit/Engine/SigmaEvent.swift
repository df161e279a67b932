/// A field name of a rule, split once for fast resolution (EV-01): the event first looks for a top-level key
/// equal to the whole `name`, then walks `components`. A class so that handing it to an event costs one
/// reference, not a copy of its arrays.
public final class FieldPath: Sendable, Hashable, CustomStringConvertible {
    /// The field name exactly as the rule wrote it (`requestParameters.groupId`).
    public let name: String
    /// UTF-8 bytes of the whole name, for the literal-key lookup.
    public let nameBytes: [UInt8]
    /// UTF-8 bytes of each dot-separated component.
    public let components: [[UInt8]]

    /// The number of dot-separated components.
    public let componentCount: Int
    /// The name's bytes, then offsets of each component in them: one allocation read through raw pointers when
    /// events walk the path (an array per component was retained and released at every step).
    private nonisolated(unsafe) let flatName: UnsafeMutablePointer<UInt8>
    private nonisolated(unsafe) let componentStarts: UnsafeMutablePointer<Int>

    public init(_ name: String) {
        self.name = name
        self.nameBytes = Array(name.utf8)
        self.components = name.split(separator: ".", omittingEmptySubsequences: false).map { Array($0.utf8) }
        componentCount = components.count
        flatName = .allocate(capacity: max(1, nameBytes.count))
        flatName.initialize(from: nameBytes, count: nameBytes.count)
        componentStarts = .allocate(capacity: components.count + 1)
        var offset = 0
        for (i, component) in components.enumerated() {
            componentStarts[i] = offset
            offset += component.count + 1  // the dot after it
        }
        componentStarts[components.count] = offset
    }

    deinit {
        flatName.deallocate()
        componentStarts.deallocate()
    }

    /// The whole name's bytes; valid as long as this path is alive.
    @inline(__always)
    public var nameBuffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: flatName, count: nameBytes.count) }

    /// Component `index`'s bytes; valid as long as this path is alive.
    @inline(__always)
    public func componentBuffer(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = componentStarts[index]
        return UnsafeBufferPointer(start: flatName + start, count: componentStarts[index + 1] - start - 1)
    }

    public var description: String { name }

    public static func == (a: FieldPath, b: FieldPath) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// The JSON type of a value handed to the matcher.
public enum FieldValueKind: UInt8, Sendable, Hashable {
    case string, number, bool, null, object, array
}

/// A value of an event field, borrowed for the duration of a callback. `bytes` must not escape the callback.
///
/// - `string`: the decoded UTF-8 text (escapes resolved).
/// - `number`: the number's JSON text (`4624`, `1.5`).
/// - `bool`: `true` / `false`.
/// - `object` / `array`: the compact JSON text of decision D1 (source key order, string values unescaped
///   between their quotes).
/// - `null`: empty.
public struct FieldValue {
    public let kind: FieldValueKind
    public let bytes: UnsafeBufferPointer<UInt8>

    public init(kind: FieldValueKind, bytes: UnsafeBufferPointer<UInt8>) {
        self.kind = kind
        self.bytes = bytes
    }

    /// The value as a Swift string (allocates: for slow paths and tests only).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Whether a field path resolves to anything, for `null` (NV-01) and `exists` (NV-05, D7).
public enum FieldPresence: Sendable, Hashable {
    /// No key on the path.
    case missing
    /// Only JSON nulls on the path.
    case null
    /// At least one non-null value (an empty array or object counts as present, EV-08).
    case present
}

/// What the matcher needs from an event. SigmaKit knows nothing of the concrete format; the CloudTrail
/// module implements this over its JSON tape.
public protocol SigmaEvent {
    /// Visits each value at `path`, stopping as soon as `body` returns true (and then returning true).
    /// Arrays met on the path or at its end are fanned out element by element (EV-02, D2), recursively;
    /// an element that is an object is visited as `object` text (D1). A JSON null is visited as `null`.
    func anyValue(at path: FieldPath, where body: (FieldValue) -> Bool) -> Bool

    /// Presence of `path` (see ``FieldPresence``).
    func presence(of path: FieldPath) -> FieldPresence

    /// Visits every leaf scalar (string, number, bool; not null) of the whole event, arrays fanned out, for
    /// keyword search (KW-02). Stops as soon as `body` returns true.
    func anyLeaf(where body: (FieldValue) -> Bool) -> Bool
}
