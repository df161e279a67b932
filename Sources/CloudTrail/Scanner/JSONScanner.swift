// The byte-level JSON scanner: validates RFC 8259 and records a flat tape of token offsets in one pass.
//
// Design notes (why it looks the way it does):
// - One pass, no recursion: open containers live on an explicit stack bounded by `maxDepth`, so hostile
//   nesting is an error, never a stack overflow.
// - The tape is a flat array of 16-byte entries reused between documents: no allocation per document once
//   it has grown to the largest document seen.
// - Strings are validated (escapes, surrogate pairs, UTF-8) but not decoded; an entry only records whether
//   the string holds an escape, so escape-free strings (nearly all CloudTrail values) are read in place.
// - String bodies are skipped 8 bytes at a time (SWAR): a word with no quote, backslash, control byte or
//   non-ASCII byte is skipped with a few integer operations.
// - Every exit that runs out of bytes distinguishes "need more input" (streaming readers refill and rescan)
//   from "the input really ended" (a truncated document).

/// The internal kind of a tape entry.
@usableFromInline
enum TapeKind: UInt8 {
    case object = 1, array, string, number, trueLiteral, falseLiteral, null
}

/// One token of the tape (16 bytes).
///
/// - string: `start..<end` is the content between the quotes.
/// - number / literal: `start..<end` is the token text.
/// - object / array: `start` is the offset of the bracket, `end` one past the closing bracket.
/// - `next`: tape index of the next sibling, i.e. one past this value's subtree.
@usableFromInline
struct TapeEntry {
    @usableFromInline var kind: TapeKind
    @usableFromInline var flags: UInt8
    @usableFromInline var start: UInt32
    @usableFromInline var end: UInt32
    @usableFromInline var next: UInt32

    @usableFromInline static let escaped: UInt8 = 1
    @usableFromInline static let key: UInt8 = 2

    @inlinable init(kind: TapeKind, flags: UInt8, start: UInt32, end: UInt32, next: UInt32) {
        self.kind = kind
        self.flags = flags
        self.start = start
        self.end = end
        self.next = next
    }
}

/// Result of scanning one value out of a buffer.
enum ScanOutcome {
    /// The value ended at this offset (one past its last byte).
    case complete(end: Int)
    /// The buffer ended inside the value and more input may follow: refill and scan again.
    case needMore
    /// The value is invalid (or the input ended inside it for good).
    case failed(ScanFailure)
}

/// A scanner error before its line/column is known (those need the document's start and base line).
struct ScanFailure: Sendable {
    var code: JSONError.Code
    var message: String
    var offset: Int
}

/// A validating JSON scanner over raw bytes that produces a reusable tape of token offsets.
///
/// A scanner is not thread-safe: give each worker its own. Parsing reuses the scanner's tape, so a
/// ``JSONValue`` obtained from one parse is only valid inside the closure that received it.
public final class JSONScanner {
    /// The limits this scanner enforces.
    public let limits: JSONLimits

    @usableFromInline var tape: UnsafeMutablePointer<TapeEntry>
    @usableFromInline var capacity: Int
    /// Number of valid tape entries after the last scan.
    @usableFromInline var count: Int = 0
    /// Newlines met in whitespace during the last scan (newlines cannot occur raw elsewhere in valid JSON).
    var newlines: Int = 0
    private let stack: UnsafeMutablePointer<UInt32>
    private var failure = ScanFailure(code: .unexpectedByte, message: "", offset: 0)

    /// Creates a scanner enforcing `limits`.
    public init(limits: JSONLimits = JSONLimits()) {
        self.limits = limits
        self.capacity = 1024
        self.tape = .allocate(capacity: 1024)
        self.stack = .allocate(capacity: limits.maxDepth + 1)
    }

    deinit {
        tape.deallocate()
        stack.deallocate()
    }

    /// Bytes of tape memory currently held (for memory accounting).
    public var tapeBytes: Int { capacity * MemoryLayout<TapeEntry>.stride }

    private func grow() {
        let newCapacity = capacity * 2
        let newTape = UnsafeMutablePointer<TapeEntry>.allocate(capacity: newCapacity)
        newTape.moveInitialize(from: tape, count: count)
        tape.deallocate()
        tape = newTape
        capacity = newCapacity
    }

    @inline(__always)
    private func append(_ kind: TapeKind, _ flags: UInt8, _ start: Int, _ end: Int) {
        if count == capacity { grow() }
        (tape + count).initialize(to: TapeEntry(
            kind: kind, flags: flags, start: UInt32(truncatingIfNeeded: start),
            end: UInt32(truncatingIfNeeded: end), next: UInt32(truncatingIfNeeded: count + 1)))
        count += 1
    }

    @inline(__always)
    private func fail(_ code: JSONError.Code, _ message: String, at offset: Int) -> ScanOutcome {
        .failed(ScanFailure(code: code, message: message, offset: offset))
    }

    // MARK: - Scanning one value

    /// Scans one JSON value starting at `start` (leading whitespace allowed) in `base[start..<end]`.
    ///
    /// On success the tape holds the value's tokens (entry 0 is the value) and `newlines` counts the newlines
    /// in its whitespace. Bytes after the value are not looked at, except for a top-level number, whose end
    /// is only known from the byte that follows it.
    /// - Parameter isFinal: true if no byte follows `end` (otherwise running out of bytes is `.needMore`).
    func scanValue(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, isFinal: Bool) -> ScanOutcome {
        count = 0
        newlines = 0
        let limitEnd = min(end, start + limits.maxDocumentBytes)
        let sizeLimited = limitEnd < end
        let maxDepth = limits.maxDepth
        var p = start
        var depth = 0
        // Whether the innermost open container is an object (kept in a register, not re-read from the tape).
        var inObject = false

        // Running out of bytes at `limitEnd`: too large, needs more, or truncated.
        func outOfInput(_ at: Int, valueStarted: Bool) -> ScanOutcome {
            if sizeLimited {
                return fail(.documentTooLarge,
                            "document is larger than the limit of \(limits.maxDocumentBytes) bytes", at: at)
            }
            if !isFinal { return .needMore }
            if !valueStarted { return fail(.empty, "no JSON value: the input holds only whitespace", at: at) }
            return fail(.unexpectedEnd, "unexpected end of input inside a value (truncated document?)", at: at)
        }

        valueLoop: while true {
            // Expect a value at p.
            p = skipWhitespace(base, p, limitEnd)
            guard p < limitEnd else { return outOfInput(p, valueStarted: depth > 0) }
            let c = base[p]
            switch c {
            case 0x7B, 0x5B:  // { [
                if depth >= maxDepth {
                    return fail(.depthLimit, "nesting deeper than the limit of \(maxDepth) levels", at: p)
                }
                stack[depth] = UInt32(truncatingIfNeeded: count)
                depth += 1
                inObject = c == 0x7B
                append(inObject ? .object : .array, 0, p, p)
                p += 1
                p = skipWhitespace(base, p, limitEnd)
                guard p < limitEnd else { return outOfInput(p, valueStarted: true) }
                if c == 0x7B {
                    if base[p] == 0x7D {  // {}
                        p += 1
                        closeContainer(&depth, at: p)
                        inObject = depth > 0 && tape[Int(stack[depth - 1])].kind == .object
                    } else {
                        let after = scanMemberKey(base, p, limitEnd)
                        if after < 0 {
                            return after == -1 ? outOfInput(limitEnd, valueStarted: true) : .failed(failure)
                        }
                        p = after
                        continue valueLoop
                    }
                } else {
                    if base[p] == 0x5D {  // []
                        p += 1
                        closeContainer(&depth, at: p)
                        inObject = depth > 0 && tape[Int(stack[depth - 1])].kind == .object
                    } else {
                        continue valueLoop
                    }
                }
            case 0x22:  // "
                var escaped = false
                let after = scanString(base, p + 1, limitEnd, &escaped)
                if after < 0 { return after == -1 ? outOfInput(limitEnd, valueStarted: true) : .failed(failure) }
                append(.string, escaped ? TapeEntry.escaped : 0, p + 1, after - 1)
                p = after
            case 0x2D, 0x30...0x39:  // - 0-9
                let (after, accepting) = scanNumber(base, p, limitEnd)
                if after == limitEnd {
                    // The number may continue past the buffer: only a final buffer (or a container) settles it.
                    if sizeLimited || (!isFinal && depth == 0) { return outOfInput(after, valueStarted: true) }
                    if !accepting { return outOfInput(after, valueStarted: true) }
                } else if !accepting {
                    return .failed(failure)
                }
                append(.number, 0, p, after)
                p = after
            case 0x74:  // t
                let r = scanLiteral(base, p, limitEnd, 0x74_72_75_65, 4, "true")
                if r != 0 { return r == -1 ? outOfInput(limitEnd, valueStarted: true) : .failed(failure) }
                append(.trueLiteral, 0, p, p + 4)
                p += 4
            case 0x66:  // f
                let r = scanLiteral5(base, p, limitEnd)
                if r != 0 { return r == -1 ? outOfInput(limitEnd, valueStarted: true) : .failed(failure) }
                append(.falseLiteral, 0, p, p + 5)
                p += 5
            case 0x6E:  // n
                let r = scanLiteral(base, p, limitEnd, 0x6E_75_6C_6C, 4, "null")
                if r != 0 { return r == -1 ? outOfInput(limitEnd, valueStarted: true) : .failed(failure) }
                append(.null, 0, p, p + 4)
                p += 4
            default:
                return fail(.unexpectedByte, "expected a value, found \(describeByte(c))", at: p)
            }

            // After a value: close containers or move to the next element / member.
            while true {
                if depth == 0 { return .complete(end: p) }
                p = skipWhitespace(base, p, limitEnd)
                guard p < limitEnd else { return outOfInput(p, valueStarted: true) }
                let c = base[p]
                let isObject = inObject
                if c == 0x2C {  // ,
                    p += 1
                    if isObject {
                        p = skipWhitespace(base, p, limitEnd)
                        guard p < limitEnd else { return outOfInput(p, valueStarted: true) }
                        let after = scanMemberKey(base, p, limitEnd)
                        if after < 0 {
                            return after == -1 ? outOfInput(limitEnd, valueStarted: true) : .failed(failure)
                        }
                        p = after
                    }
                    continue valueLoop
                }
                if c == (isObject ? 0x7D : 0x5D) {
                    p += 1
                    closeContainer(&depth, at: p)
                    inObject = depth > 0 && tape[Int(stack[depth - 1])].kind == .object
                    continue
                }
                let expected = isObject ? "',' or '}'" : "',' or ']'"
                return fail(.unexpectedByte, "expected \(expected), found \(describeByte(c))", at: p)
            }
        }
    }

    @inline(__always)
    private func closeContainer(_ depth: inout Int, at end: Int) {
        depth -= 1
        let index = Int(stack[depth])
        tape[index].end = UInt32(truncatingIfNeeded: end)
        tape[index].next = UInt32(truncatingIfNeeded: count)
    }

    @inline(__always)
    private func skipWhitespace(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var p = start
        while p < end {
            let c = base[p]
            if c > 0x20 { return p }
            if c == 0x20 || c == 0x09 || c == 0x0D {
                p += 1
            } else if c == 0x0A {
                newlines += 1
                p += 1
            } else {
                return p
            }
        }
        return p
    }

    /// Scans `"key"` `:` at `p` (which must be a quote). Returns the offset after the colon and any whitespace
    /// before it, -1 when out of input, -2 on error (in `failure`).
    @inline(__always)
    private func scanMemberKey(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        guard base[start] == 0x22 else {
            failure = ScanFailure(code: .unexpectedByte,
                                  message: "expected a string key, found \(describeByte(base[start]))",
                                  offset: start)
            return -2
        }
        var escaped = false
        let after = scanString(base, start + 1, end, &escaped)
        if after < 0 { return after }
        append(.string, TapeEntry.key | (escaped ? TapeEntry.escaped : 0), start + 1, after - 1)
        let p = skipWhitespace(base, after, end)
        guard p < end else { return -1 }
        guard base[p] == 0x3A else {
            failure = ScanFailure(code: .unexpectedByte,
                                  message: "expected ':' after an object key, found \(describeByte(base[p]))",
                                  offset: p)
            return -2
        }
        return p + 1
    }

    /// Validates a string body starting just after its opening quote. Returns the offset after the closing
    /// quote, -1 when out of input, -2 on error (in `failure`).
    @inline(__always)
    private func scanString(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int,
                            _ escaped: inout Bool) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = ones &* 0x22
        let backslashes = ones &* 0x5C
        let controls = ones &* 0x20
        var p = start
        while true {
            // Skip 8 plain ASCII bytes at a time. The first flagged byte is exact (borrows only run upwards).
            while p &+ 8 <= end {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
                let q = w ^ quotes
                let b = w ^ backslashes
                let m = (((q &- ones) & ~q) | ((b &- ones) & ~b) | ((w &- controls) & ~w) | w) & highs
                if m == 0 {
                    p &+= 8
                } else {
                    p &+= m.trailingZeroBitCount &>> 3
                    break
                }
            }
            guard p < end else { return -1 }
            let c = base[p]
            if c == 0x22 { return p + 1 }
            if c == 0x5C {
                escaped = true
                let r = scanEscape(base, p, end)
                if r < 0 { return r }
                p = r
            } else if c < 0x20 {
                failure = ScanFailure(code: .controlCharacter,
                                      message: "raw control character \(describeByte(c)) inside a string "
                                          + "(must be escaped)", offset: p)
                return -2
            } else if c >= 0x80 {
                let r = scanUTF8(base, p, end)
                if r < 0 { return r }
                p = r
            } else {
                p += 1
            }
        }
    }

    /// Validates one escape at `p` (a backslash). Returns the offset after it, -1 / -2 as `scanString`.
    private func scanEscape(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int) -> Int {
        guard p + 1 < end else { return -1 }
        switch base[p + 1] {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:  // " \ / b f n r t
            return p + 2
        case 0x75:  // u
            let first = readHex4(base, p + 2, end)
            if first < 0 { return first == -1 ? -1 : invalidUnicodeEscape(at: p) }
            if first >= 0xDC00 && first <= 0xDFFF {
                failure = ScanFailure(code: .loneSurrogate,
                                      message: "lone low surrogate \\u\(hex4(first)) (not preceded by a high "
                                          + "surrogate)", offset: p)
                return -2
            }
            if first < 0xD800 || first > 0xDBFF { return p + 6 }
            // A high surrogate must be followed by an escaped low surrogate.
            let q = p + 6
            guard q < end else { return -1 }
            guard base[q] == 0x5C else { return loneHigh(first, at: p) }
            guard q + 1 < end else { return -1 }
            guard base[q + 1] == 0x75 else { return loneHigh(first, at: p) }
            let second = readHex4(base, q + 2, end)
            if second < 0 { return second == -1 ? -1 : invalidUnicodeEscape(at: q) }
            guard second >= 0xDC00 && second <= 0xDFFF else { return loneHigh(first, at: p) }
            return q + 6
        default:
            failure = ScanFailure(code: .invalidEscape,
                                  message: "invalid escape '\\\(describeEscape(base[p + 1]))' (JSON allows "
                                      + "\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", offset: p)
            return -2
        }
    }

    private func loneHigh(_ unit: Int, at p: Int) -> Int {
        failure = ScanFailure(code: .loneSurrogate,
                              message: "lone high surrogate \\u\(hex4(unit)) (not followed by a low surrogate)",
                              offset: p)
        return -2
    }

    private func invalidUnicodeEscape(at p: Int) -> Int {
        failure = ScanFailure(code: .invalidEscape, message: "'\\u' must be followed by four hex digits",
                              offset: p)
        return -2
    }

    /// Four hex digits at `p`: their value, -1 if the input ends first (and what is there is hex), -2 if not hex.
    @inline(__always)
    private func readHex4(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int) -> Int {
        var value = 0
        for i in 0..<4 {
            guard p + i < end else { return -1 }
            let d = hexValue(base[p + i])
            if d < 0 { return -2 }
            value = value << 4 | d
        }
        return value
    }

    /// Validates one multi-byte UTF-8 sequence (Unicode table 3-7: no overlongs, no surrogates, ≤ U+10FFFF).
    private func scanUTF8(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int) -> Int {
        let c = base[p]
        var length = 0
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default:
            return invalidUTF8(at: p)
        }
        for i in 1..<length {
            guard p + i < end else { return -1 }
            let b = base[p + i]
            if i == 1 {
                if b < low || b > high { return invalidUTF8(at: p) }
            } else if b < 0x80 || b > 0xBF {
                return invalidUTF8(at: p)
            }
        }
        return p + length
    }

    private func invalidUTF8(at p: Int) -> Int {
        failure = ScanFailure(code: .invalidUTF8, message: "invalid UTF-8 sequence in a string", offset: p)
        return -2
    }

    /// Scans a number's grammar from `p`. Returns where it stopped and whether the text so far is a complete
    /// number; when it stopped before `end` on an invalid number, `failure` says why.
    @inline(__always)
    private func scanNumber(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Bool) {
        var p = start
        @inline(__always) func isDigit(_ i: Int) -> Bool { i < end && base[i] &- 0x30 < 10 }
        func bad(_ message: String, _ at: Int) -> (Int, Bool) {
            if at >= end { return (end, false) }
            failure = ScanFailure(code: .invalidNumber, message: message, offset: at)
            return (at, false)
        }
        if base[p] == 0x2D {
            p += 1
            guard isDigit(p) else { return bad("a digit must follow '-'", p) }
        }
        if base[p] == 0x30 {
            p += 1
            if isDigit(p) { return bad("leading zeros are not allowed in a number", p) }
        } else {
            while isDigit(p) { p += 1 }
        }
        if p < end && base[p] == 0x2E {
            p += 1
            guard isDigit(p) else { return bad("a digit must follow the decimal point", p) }
            while isDigit(p) { p += 1 }
        }
        if p < end && (base[p] | 0x20) == 0x65 {  // e E
            p += 1
            if p < end && (base[p] == 0x2B || base[p] == 0x2D) { p += 1 }
            guard isDigit(p) else { return bad("a digit must follow the exponent marker", p) }
            while isDigit(p) { p += 1 }
        }
        return (p, true)
    }

    /// Matches a 4-byte literal packed big-endian in `word`. 0 ok, -1 out of input, -2 error.
    @inline(__always)
    private func scanLiteral(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int, _ word: UInt32, _ length: Int,
                             _ name: String) -> Int {
        for i in 0..<length {
            guard p + i < end else { return -1 }
            let expected = UInt8(truncatingIfNeeded: word >> (UInt32(length - 1 - i) * 8))
            if base[p + i] != expected {
                failure = ScanFailure(code: .unexpectedByte,
                                      message: "invalid literal (expected '\(name)')", offset: p + i)
                return -2
            }
        }
        return 0
    }

    private func scanLiteral5(_ base: UnsafePointer<UInt8>, _ p: Int, _ end: Int) -> Int {
        let r = scanLiteral(base, p, end, 0x66_61_6C_73, 4, "false")
        if r != 0 { return r }
        guard p + 4 < end else { return -1 }
        if base[p + 4] != 0x65 {
            failure = ScanFailure(code: .unexpectedByte, message: "invalid literal (expected 'false')",
                                  offset: p + 4)
            return -2
        }
        return 0
    }
}

// MARK: - Small helpers shared by the scanner and the readers

@inline(__always)
func hexValue(_ c: UInt8) -> Int {
    switch c {
    case 0x30...0x39: return Int(c - 0x30)
    case 0x41...0x46: return Int(c - 0x41 + 10)
    case 0x61...0x66: return Int(c - 0x61 + 10)
    default: return -1
    }
}

func hex4(_ value: Int) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[(value >> 12) & 15], digits[(value >> 8) & 15], digits[(value >> 4) & 15],
                   digits[value & 15]])
}

/// A byte for an error message: printable ASCII quoted, anything else in hex (never raw event content).
func describeByte(_ c: UInt8) -> String {
    if c == 0 { return "a NUL byte (0x00)" }
    if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
    if c == 0xEF { return "byte 0xEF (a UTF-8 byte order mark?)" }
    return "byte 0x\(String(c, radix: 16, uppercase: true).leftPadded(to: 2))"
}

private func describeEscape(_ c: UInt8) -> String {
    c >= 0x21 && c < 0x7F ? String(Character(Unicode.Scalar(c))) : "0x" + String(c, radix: 16, uppercase: true)
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
