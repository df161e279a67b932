import Foundation

/// A string pattern compiled for the hot path: the common shapes (equals, prefix, suffix, contains) get
/// dedicated byte loops; everything else is a glob. Case-insensitive patterns keep an ASCII-folded needle so
/// that the usual comparison allocates nothing (D4), and fall back to Unicode case folding only when the needle
/// or the value has non-ASCII bytes. A class: tests hold it by reference, so evaluating one costs no copy of
/// its arrays (and no reference counting per array).
final class CompiledPattern: Sendable {
    enum Shape: Sendable, Hashable {
        case equals, prefix, suffix, contains
        /// `*` alone: any value at all (NV-06 existence idiom).
        case anything
        case glob
    }

    enum Token: Sendable, Hashable {
        case literal([UInt8])
        case anyRun
        case oneCharacter
    }

    let shape: Shape
    /// For equals/prefix/suffix/contains: the literal, ASCII-lowercased when case-insensitive.
    let needle: [UInt8]
    /// For glob: tokens (literals ASCII-lowercased when case-insensitive).
    let tokens: [Token]
    let isCaseSensitive: Bool
    /// True when no literal byte is ≥ 0x80 (so ASCII folding is exact).
    let isASCII: Bool
    /// The Unicode-folded tokens for the slow path (non-ASCII text, case-insensitive).
    let foldedScalarTokens: [ScalarToken]

    enum ScalarToken: Sendable, Hashable {
        case literal([Unicode.Scalar])
        case anyRun
        case oneCharacter
    }

    init(_ string: SigmaString, caseSensitive: Bool) {
        // Merge adjacent literals and collapse runs of `*` so the shape analysis sees the canonical form.
        var merged: [Token] = []
        var scalarTokens: [ScalarToken] = []
        var ascii = true
        for part in string.parts {
            switch part {
            case .literal(let text), .placeholder(let text):
                // Placeholders are resolved by the builder; one that survives is matched literally as `%name%`.
                let literal: String
                if case .placeholder = part { literal = "%\(text)%" } else { literal = text }
                if literal.isEmpty { continue }
                var bytes = Array(literal.utf8)
                if bytes.contains(where: { $0 >= 0x80 }) { ascii = false }
                if !caseSensitive { bytes = bytes.map(asciiLower) }
                let scalars = Array((caseSensitive ? literal : foldCase(literal)).unicodeScalars)
                if case .literal(let previous)? = merged.last {
                    merged[merged.count - 1] = .literal(previous + bytes)
                    if case .literal(let prevScalars)? = scalarTokens.last {
                        scalarTokens[scalarTokens.count - 1] = .literal(prevScalars + scalars)
                    }
                } else {
                    merged.append(.literal(bytes))
                    scalarTokens.append(.literal(scalars))
                }
            case .wildcardMulti:
                if merged.last != .anyRun {
                    merged.append(.anyRun)
                    scalarTokens.append(.anyRun)
                }
            case .wildcardSingle:
                merged.append(.oneCharacter)
                scalarTokens.append(.oneCharacter)
            }
        }
        tokens = merged
        foldedScalarTokens = scalarTokens
        isCaseSensitive = caseSensitive
        isASCII = ascii
        switch merged.count {
        case 0:
            shape = .equals
            needle = []
        case 1:
            if case .literal(let bytes) = merged[0] {
                shape = .equals
                needle = bytes
            } else if merged[0] == .anyRun {
                shape = .anything
                needle = []
            } else {
                shape = .glob
                needle = []
            }
        case 2:
            if case .literal(let bytes) = merged[0], merged[1] == .anyRun {
                shape = .prefix
                needle = bytes
            } else if case .literal(let bytes) = merged[1], merged[0] == .anyRun {
                shape = .suffix
                needle = bytes
            } else {
                shape = .glob
                needle = []
            }
        case 3:
            if case .literal(let bytes) = merged[1], merged[0] == .anyRun, merged[2] == .anyRun {
                shape = .contains
                needle = bytes
            } else {
                shape = .glob
                needle = []
            }
        default:
            shape = .glob
            needle = []
        }
    }

    /// Matches the whole of `value` (UTF-8) against the pattern.
    func matches(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        if shape == .anything { return true }
        if !isCaseSensitive && (!isASCII || !isASCIIText(value)) {
            return matchesFoldingUnicode(value)
        }
        let folding = !isCaseSensitive
        switch shape {
        case .equals:
            return value.count == needle.count && bytesEqual(value, 0, needle, folding)
        case .prefix:
            return value.count >= needle.count && bytesEqual(value, 0, needle, folding)
        case .suffix:
            return value.count >= needle.count && bytesEqual(value, value.count - needle.count, needle, folding)
        case .contains:
            return findBytes(needle, in: value, from: 0, folding: folding) != nil
        case .anything:
            return true
        case .glob:
            return globMatchBytes(tokens, value, folding: folding)
        }
    }

    /// Slow path: Unicode case folding on both sides, then a glob over scalars.
    private func matchesFoldingUnicode(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        let text = foldCase(String(decoding: value, as: UTF8.self))
        return globMatchScalars(foldedScalarTokens, Array(text.unicodeScalars))
    }
}

/// Unicode case folding as used for every case-insensitive comparison (D4). Swift has no simple-case-folding
/// API; lower-casing is the same mapping for all but a handful of characters (e.g. final sigma folds to σ,
/// which `lowercased()` leaves as ς), which we fold explicitly.
@inline(__always)
func foldCase(_ text: String) -> String {
    let lowered = text.lowercased()
    return lowered.contains("ς") ? lowered.replacingOccurrences(of: "ς", with: "σ") : lowered
}

@inline(__always)
func asciiLower(_ byte: UInt8) -> UInt8 {
    byte &- 0x41 < 26 ? byte | 0x20 : byte
}

@inline(__always)
func isASCIIText(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
    // Word-at-a-time check for any byte with the high bit set.
    var index = 0
    let count = value.count
    guard let base = value.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    while index + 8 <= count {
        if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
        index += 8
    }
    while index < count {
        if base[index] >= 0x80 { return false }
        index += 1
    }
    return true
}

/// Compares `needle` with `value[offset...]`, folding the value's ASCII letters when asked (the needle is
/// already folded).
@inline(__always)
func bytesEqual(_ value: UnsafeBufferPointer<UInt8>, _ offset: Int, _ needle: [UInt8], _ folding: Bool) -> Bool {
    needle.withUnsafeBufferPointer { n in
        if folding {
            for i in 0..<n.count where asciiLower(value[offset + i]) != n[i] { return false }
        } else {
            for i in 0..<n.count where value[offset + i] != n[i] { return false }
        }
        return true
    }
}

/// First index ≥ `start` where `needle` occurs in `value`, or nil.
func findBytes(_ needle: [UInt8], in value: UnsafeBufferPointer<UInt8>, from start: Int, folding: Bool) -> Int? {
    let n = needle.count
    if n == 0 { return start <= value.count ? start : nil }
    if value.count - start < n { return nil }
    let first = needle[0]
    let last = value.count - n
    var i = start
    if folding {
        // The needle is folded; a letter can appear in the value in either case.
        let upperFirst = first &- 0x61 < 26 ? first & ~0x20 : first
        while i <= last {
            let b = value[i]
            if (b == first || b == upperFirst) && bytesEqual(value, i, needle, true) { return i }
            i += 1
        }
    } else {
        while i <= last {
            if value[i] == first && bytesEqual(value, i, needle, false) { return i }
            i += 1
        }
    }
    return nil
}

/// Glob over bytes: `*` any run, `?` exactly one character (one UTF-8 scalar: its continuation bytes go too).
/// Iterative with backtracking to the last star: O(n·m) worst case, no recursion.
func globMatchBytes(_ tokens: [CompiledPattern.Token], _ value: UnsafeBufferPointer<UInt8>, folding: Bool) -> Bool {
    var t = 0
    var v = 0
    var starToken = -1
    var starValue = 0
    let count = value.count
    while true {
        if t < tokens.count {
            switch tokens[t] {
            case .anyRun:
                starToken = t
                starValue = v
                t += 1
                continue
            case .oneCharacter:
                if v < count {
                    v += 1
                    while v < count && value[v] & 0xC0 == 0x80 { v += 1 }
                    t += 1
                    continue
                }
            case .literal(let bytes):
                if v + bytes.count <= count && bytesEqual(value, v, bytes, folding) {
                    v += bytes.count
                    t += 1
                    continue
                }
            }
        } else if v == count {
            return true
        }
        // Mismatch: let the last star swallow one more character, or fail.
        guard starToken >= 0, starValue < count else { return false }
        starValue += 1
        while starValue < count && value[starValue] & 0xC0 == 0x80 { starValue += 1 }
        v = starValue
        t = starToken + 1
    }
}

/// The same glob over Unicode scalars (slow path for case-insensitive non-ASCII text).
func globMatchScalars(_ tokens: [CompiledPattern.ScalarToken], _ value: [Unicode.Scalar]) -> Bool {
    var t = 0
    var v = 0
    var starToken = -1
    var starValue = 0
    while true {
        if t < tokens.count {
            switch tokens[t] {
            case .anyRun:
                starToken = t
                starValue = v
                t += 1
                continue
            case .oneCharacter:
                if v < value.count {
                    v += 1
                    t += 1
                    continue
                }
            case .literal(let scalars):
                if v + scalars.count <= value.count && value[v..<(v + scalars.count)].elementsEqual(scalars) {
                    v += scalars.count
                    t += 1
                    continue
                }
            }
        } else if v == value.count {
            return true
        }
        guard starToken >= 0, starValue < value.count else { return false }
        starValue += 1
        v = starValue
        t = starToken + 1
    }
}
