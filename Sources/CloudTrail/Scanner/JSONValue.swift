/// The JSON type of a ``JSONValue``.
public enum JSONKind: Sendable, Hashable {
    case object, array, string, number, bool, null
}

/// A value inside a parsed document: a cursor over the scanner's tape and the document's bytes.
///
/// It borrows both: it is valid only inside the closure that received it (see ``JSONScanner/parse(_:_:)``),
/// and must not be stored. Reading it never allocates unless a method says so.
public struct JSONValue {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let tape: UnsafePointer<TapeEntry>
    @usableFromInline let index: Int

    @inlinable init(base: UnsafePointer<UInt8>, tape: UnsafePointer<TapeEntry>, index: Int) {
        self.base = base
        self.tape = tape
        self.index = index
    }

    @inlinable var entry: TapeEntry { tape[index] }

    /// The value's JSON type.
    public var kind: JSONKind {
        switch entry.kind {
        case .object: return .object
        case .array: return .array
        case .string: return .string
        case .number: return .number
        case .trueLiteral, .falseLiteral: return .bool
        case .null: return .null
        }
    }

    /// The boolean, if the value is `true` or `false`.
    public var bool: Bool? {
        switch entry.kind {
        case .trueLiteral: return true
        case .falseLiteral: return false
        default: return nil
        }
    }

    /// True if the value is a string holding at least one backslash escape.
    public var hasEscapes: Bool { entry.flags & TapeEntry.escaped != 0 }

    /// The value's source bytes: for a string the (still escaped) text between the quotes, for a number or a
    /// literal its text, for an object or array everything from the opening to the closing bracket.
    public var rawBytes: UnsafeBufferPointer<UInt8> {
        let e = entry
        return UnsafeBufferPointer(start: base + Int(e.start), count: Int(e.end &- e.start))
    }

    /// Byte offset of the value in the parsed buffer (for a string: of its first content byte).
    public var byteOffset: Int { Int(entry.start) }

    // MARK: Objects and arrays

    /// Number of elements of an array or members of an object (0 for scalars). Walks the tape.
    public var count: Int {
        var n = 0
        forEachChild { _ in n += 1 }
        return n
    }

    /// Calls `body` with each element of an array, in order. Does nothing for other kinds.
    @inlinable
    public func forEachElement(_ body: (JSONValue) throws -> Void) rethrows {
        let e = entry
        guard e.kind == .array else { return }
        var i = index + 1
        let end = Int(e.next)
        while i < end {
            try body(JSONValue(base: base, tape: tape, index: i))
            i = Int(tape[i].next)
        }
    }

    /// Calls `body` with each member of an object (key, value), in source order.
    @inlinable
    public func forEachMember(_ body: (_ key: JSONValue, _ value: JSONValue) throws -> Void) rethrows {
        let e = entry
        guard e.kind == .object else { return }
        var i = index + 1
        let end = Int(e.next)
        while i < end {
            let value = i + 1
            try body(JSONValue(base: base, tape: tape, index: i), JSONValue(base: base, tape: tape, index: value))
            i = Int(tape[value].next)
        }
    }

    private func forEachChild(_ body: (Int) -> Void) {
        let e = entry
        var i = index + 1
        let end = Int(e.next)
        if e.kind == .array {
            while i < end { body(i); i = Int(tape[i].next) }
        } else if e.kind == .object {
            while i < end { body(i); i = Int(tape[i + 1].next) }
        }
    }

    /// The value of the first member whose key equals `key` (compared on UTF-8 bytes, escapes resolved).
    public subscript(key: String) -> JSONValue? {
        var key = key
        return key.withUTF8 { member(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) }
    }

    /// The value of the first member whose key's decoded bytes equal `key`.
    @inlinable
    public func member(_ key: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        let found = memberIndex(tape, base, index, key)
        return found < 0 ? nil : JSONValue(base: base, tape: tape, index: found)
    }

    // MARK: Text

    /// The decoded string (escapes resolved), for a string value; allocates.
    public var string: String? {
        guard entry.kind == .string else { return nil }
        return withTextBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// The value as text, without allocating when it can: a string decoded (in place when it has no
    /// escape), a number or boolean as its JSON text, `null` as empty, an object or array as its compact JSON
    /// text (decision D1: source key order, no whitespace, string values unescaped between their quotes).
    @inlinable
    public func withTextBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withValueText(base, tape, index, body)
    }

    /// The text of ``withTextBytes(_:)`` as a `String` (allocates).
    public var text: String { withTextBytes { String(decoding: $0, as: UTF8.self) } }

    /// Whether this string's decoded bytes equal `bytes`, optionally folding ASCII case. Never allocates for a
    /// string without escapes. False for non-strings.
    public func stringEquals(_ bytes: UnsafeBufferPointer<UInt8>, caseInsensitive: Bool = false) -> Bool {
        guard entry.kind == .string else { return false }
        return withTextBytes { text in
            caseInsensitive ? ASCII.equalsIgnoringCase(text, bytes) : ASCII.equals(text, bytes)
        }
    }

    /// ``stringEquals(_:caseInsensitive:)`` for a `String`.
    public func stringEquals(_ string: String, caseInsensitive: Bool = false) -> Bool {
        var string = string
        return string.withUTF8 { stringEquals($0, caseInsensitive: caseInsensitive) }
    }
}

// MARK: - Tape walking shared by JSONValue and CloudTrailEvent

/// Index of the value of the first member of object `object` whose key equals `key`, or -1.
@inlinable
func memberIndex(_ tape: UnsafePointer<TapeEntry>, _ base: UnsafePointer<UInt8>, _ object: Int,
                 _ key: UnsafeBufferPointer<UInt8>) -> Int {
    let e = tape[object]
    guard e.kind == .object else { return -1 }
    var i = object + 1
    let end = Int(e.next)
    let keyCount = key.count
    while i < end {
        let k = tape[i]
        if k.flags & TapeEntry.escaped == 0 {
            if Int(k.end &- k.start) == keyCount
                && (keyCount == 0 || memcmpBytes(base + Int(k.start), key.baseAddress, keyCount)) {
                return i + 1
            }
        } else if escapedKeyEquals(base, k, key) {
            return i + 1
        }
        i = Int(tape[i + 1].next)
    }
    return -1
}

@inlinable
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
    guard let b else { return count == 0 }
    var i = 0
    // Word at a time: keys are short, so a libc call would cost more than it saves.
    while i &+ 8 <= count {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
            != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) { return false }
        i &+= 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i &+= 1
    }
    return true
}

@usableFromInline
func escapedKeyEquals(_ base: UnsafePointer<UInt8>, _ k: TapeEntry, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
    let length = Int(k.end &- k.start)
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(length, 1)) { buffer in
        guard let out = buffer.baseAddress else { return false }
        let n = unescape(base + Int(k.start), length, into: out)
        return ASCII.equals(UnsafeBufferPointer(start: out, count: n), key)
    }
}

/// Calls `body` with the text of tape value `index` (see ``JSONValue/withTextBytes(_:)``).
@inlinable
func withValueText<R>(_ base: UnsafePointer<UInt8>, _ tape: UnsafePointer<TapeEntry>, _ index: Int,
                      _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    let e = tape[index]
    switch e.kind {
    case .string where e.flags & TapeEntry.escaped == 0, .number, .trueLiteral, .falseLiteral:
        return try body(UnsafeBufferPointer(start: base + Int(e.start), count: Int(e.end &- e.start)))
    case .null:
        return try body(UnsafeBufferPointer(start: base + Int(e.start), count: 0))
    case .string:
        let length = Int(e.end &- e.start)
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(length, 1)) { buffer in
            let out = buffer.baseAddress.unsafelyUnwrapped
            let n = unescape(base + Int(e.start), length, into: out)
            return try body(UnsafeBufferPointer(start: out, count: n))
        }
    case .object, .array:
        // Compact rendering is never longer than the source text (whitespace dropped, escapes shrink).
        let length = Int(e.end &- e.start)
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(length, 1)) { buffer in
            let out = buffer.baseAddress.unsafelyUnwrapped
            var n = 0
            _ = renderCompact(base, tape, index, out, &n)
            return try body(UnsafeBufferPointer(start: out, count: n))
        }
    }
}

/// Writes the D1 compact text of tape value `index` at `out[n...]`; returns the index after the value.
@usableFromInline
func renderCompact(_ base: UnsafePointer<UInt8>, _ tape: UnsafePointer<TapeEntry>, _ index: Int,
                   _ out: UnsafeMutablePointer<UInt8>, _ n: inout Int) -> Int {
    let e = tape[index]
    switch e.kind {
    case .object, .array:
        let isObject = e.kind == .object
        out[n] = isObject ? 0x7B : 0x5B
        n += 1
        var i = index + 1
        let end = Int(e.next)
        var first = true
        while i < end {
            if !first { out[n] = 0x2C; n += 1 }
            first = false
            if isObject {
                i = renderCompact(base, tape, i, out, &n)
                out[n] = 0x3A
                n += 1
            }
            i = renderCompact(base, tape, i, out, &n)
        }
        out[n] = isObject ? 0x7D : 0x5D
        n += 1
        return end
    case .string:
        out[n] = 0x22
        n += 1
        let length = Int(e.end &- e.start)
        if e.flags & TapeEntry.escaped == 0 {
            (out + n).update(from: base + Int(e.start), count: length)
            n += length
        } else {
            n += unescape(base + Int(e.start), length, into: out + n)
        }
        out[n] = 0x22
        n += 1
        return index + 1
    case .number, .trueLiteral, .falseLiteral, .null:
        let length = Int(e.end &- e.start)
        (out + n).update(from: base + Int(e.start), count: length)
        n += length
        return index + 1
    }
}

/// Decodes the escapes of a validated string body into `out` (which holds at least `count` bytes); returns
/// the decoded length. Surrogate pairs become one 4-byte UTF-8 sequence.
@usableFromInline
func unescape(_ src: UnsafePointer<UInt8>, _ count: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
    var i = 0
    var n = 0
    while i < count {
        let c = src[i]
        if c != 0x5C {
            out[n] = c
            n += 1
            i += 1
            continue
        }
        let e = src[i + 1]
        i += 2
        switch e {
        case 0x62: out[n] = 0x08
        case 0x66: out[n] = 0x0C
        case 0x6E: out[n] = 0x0A
        case 0x72: out[n] = 0x0D
        case 0x74: out[n] = 0x09
        case 0x75:
            var scalar = hex4At(src + i)
            i += 4
            if scalar >= 0xD800 && scalar <= 0xDBFF && i + 6 <= count {
                let low = hex4At(src + i + 2)
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                i += 6
            }
            n += writeUTF8(scalar, out + n)
            continue
        default: out[n] = e  // " \ /
        }
        n += 1
    }
    return n
}

@inline(__always)
private func hex4At(_ p: UnsafePointer<UInt8>) -> Int {
    (hexValue(p[0]) << 12) | (hexValue(p[1]) << 8) | (hexValue(p[2]) << 4) | hexValue(p[3])
}

@inline(__always)
private func writeUTF8(_ scalar: Int, _ out: UnsafeMutablePointer<UInt8>) -> Int {
    switch scalar {
    case ..<0x80:
        out[0] = UInt8(scalar)
        return 1
    case ..<0x800:
        out[0] = UInt8(0xC0 | (scalar >> 6))
        out[1] = UInt8(0x80 | (scalar & 0x3F))
        return 2
    case ..<0x10000:
        out[0] = UInt8(0xE0 | (scalar >> 12))
        out[1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
        out[2] = UInt8(0x80 | (scalar & 0x3F))
        return 3
    default:
        out[0] = UInt8(0xF0 | (scalar >> 18))
        out[1] = UInt8(0x80 | ((scalar >> 12) & 0x3F))
        out[2] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
        out[3] = UInt8(0x80 | (scalar & 0x3F))
        return 4
    }
}

/// Byte comparisons with ASCII case folding, without making a `String`.
public enum ASCII {
    /// Byte-wise equality.
    @inlinable
    public static func equals(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return memcmpBytes(pa, pb, a.count)
    }

    /// Equality folding ASCII letters (`A`-`Z` = `a`-`z`); other bytes must be equal.
    @inlinable
    public static func equalsIgnoringCase(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count {
            let x = a[i]
            let y = b[i]
            if x == y { continue }
            // Only letters may differ, and only by the case bit.
            if x ^ y != 0x20 { return false }
            let lower = x | 0x20
            if lower < 0x61 || lower > 0x7A { return false }
        }
        return true
    }
}
