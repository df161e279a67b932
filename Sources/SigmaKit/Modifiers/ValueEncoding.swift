/// The byte-level transforms of the encoding modifiers (MOD-base64, MOD-base64offset, MOD-wide/utf16*) and the
/// dash expansion of MOD-windash.
enum ValueEncoding {
    // MARK: Base64

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Standard base64 with `=` padding.
    static func base64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let n = UInt32(bytes[index]) << 16
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        } else if rest == 2 {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The three base64offset variants (MOD-base64offset): for shift i in 0...2, base64 of i spaces followed by
    /// the bytes, cut to the part that does not depend on the surrounding bytes:
    /// `b64(i×' ' + bytes)[start[i] : end[(len + i) % 3]]`, start = (0, 2, 3), end = (none, -3, -2),
    /// with Python slice semantics (so a 1-byte value yields an empty middle variant).
    static func base64Offsets(_ bytes: [UInt8]) -> [String] {
        let starts = [0, 2, 3]
        let ends: [Int?] = [nil, -3, -2]
        var variants: [String] = []
        for shift in 0..<3 {
            let encoded = Array(base64([UInt8](repeating: 0x20, count: shift) + bytes).utf8)
            let count = encoded.count
            let start = min(starts[shift], count)
            var end = count
            if let cut = ends[(bytes.count + shift) % 3] { end = max(count + cut, 0) }
            variants.append(start < end ? String(decoding: encoded[start..<end], as: UTF8.self) : "")
        }
        return variants
    }

    /// The bytes that base64 encodes for a value: the UTF-8 of its text, except that a byte order mark put
    /// there by `utf16` becomes the UTF-16LE BOM FF FE (as pySigma does).
    static func bytesToEncode(_ text: String, afterUTF16: Bool) -> [UInt8] {
        var bytes = Array(text.utf8)
        if afterUTF16, bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.replaceSubrange(0..<3, with: [0xFF, 0xFE])
        }
        return bytes
    }

    // MARK: UTF-16

    enum UTF16Form { case littleEndian, bigEndian }

    /// Widens ASCII text to UTF-16 code units written as characters (`cmd` → `c\0m\0d\0`), or returns the first
    /// non-ASCII scalar.
    static func widen(_ text: String, _ form: UTF16Form) -> Result<String, NonASCII> {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard scalar.isASCII else { return .failure(NonASCII(scalar: scalar)) }
            switch form {
            case .littleEndian:
                out.append(scalar)
                out.append("\u{0}")
            case .bigEndian:
                out.append("\u{0}")
                out.append(scalar)
            }
        }
        return .success(String(out))
    }

    struct NonASCII: Error {
        var scalar: Unicode.Scalar
    }

    // MARK: windash

    /// The five characters a windash position can take, in pySigma's order.
    static let dashes: [Unicode.Scalar] = ["-", "/", "\u{2013}", "\u{2014}", "\u{2015}"]

    /// Offsets (in scalars) of the dashes that windash expands in one literal: a `-` or `/` matched by
    /// `\B[-/]\b`, i.e. preceded by a non-word character or the start, and followed by a word character.
    static func windashPositions(_ scalars: [Unicode.Scalar]) -> [Int] {
        var positions: [Int] = []
        for (index, scalar) in scalars.enumerated() where scalar == "-" || scalar == "/" {
            let afterNonWord = index == 0 || !scalars[index - 1].isSigmaWordCharacter
            let beforeWord = index + 1 < scalars.count && scalars[index + 1].isSigmaWordCharacter
            if afterNonWord && beforeWord { positions.append(index) }
        }
        return positions
    }

    /// Expands windash positions of a Sigma string into the Cartesian product of the dash variants (the first
    /// position varies slowest). Returns the value itself when nothing expands.
    static func windash(_ value: SigmaString) -> (variants: [SigmaString], positions: Int) {
        enum Piece {
            case text([Unicode.Scalar])
            case slot
            case part(SigmaString.Part)
        }
        var pieces: [Piece] = []
        var slotCount = 0
        for part in value.parts {
            guard case .literal(let text) = part else {
                pieces.append(.part(part))
                continue
            }
            let scalars = Array(text.unicodeScalars)
            var last = 0
            for position in windashPositions(scalars) {
                if position > last { pieces.append(.text(Array(scalars[last..<position]))) }
                pieces.append(.slot)
                slotCount += 1
                last = position + 1
            }
            if last < scalars.count { pieces.append(.text(Array(scalars[last...]))) }
        }
        if slotCount == 0 { return ([value], 0) }
        guard slotCount <= 3 else { return ([], slotCount) }

        var total = 1
        for _ in 0..<slotCount { total *= dashes.count }
        var variants: [SigmaString] = []
        variants.reserveCapacity(total)
        for combination in 0..<total {
            // Digits of `combination` in base 5, most significant first = first slot.
            var choices = [Int](repeating: 0, count: slotCount)
            var rest = combination
            for slot in stride(from: slotCount - 1, through: 0, by: -1) {
                choices[slot] = rest % dashes.count
                rest /= dashes.count
            }
            var builder = SigmaStringBuilder()
            var slot = 0
            for piece in pieces {
                switch piece {
                case .text(let scalars): builder.append(scalars)
                case .slot:
                    builder.append([dashes[choices[slot]]])
                    slot += 1
                case .part(let part): builder.append(part)
                }
            }
            variants.append(builder.build())
        }
        return (variants, slotCount)
    }
}

/// Assembles Sigma string parts, merging adjacent literal text and never emitting empty literals.
struct SigmaStringBuilder {
    private var parts: [SigmaString.Part] = []
    private var text = String.UnicodeScalarView()

    mutating func append(_ scalars: [Unicode.Scalar]) {
        text.append(contentsOf: scalars)
    }

    mutating func append(_ literal: String) {
        text.append(contentsOf: literal.unicodeScalars)
    }

    mutating func append(_ part: SigmaString.Part) {
        if case .literal(let literal) = part {
            append(literal)
            return
        }
        flush()
        parts.append(part)
    }

    private mutating func flush() {
        if !text.isEmpty {
            parts.append(.literal(String(text)))
            text = String.UnicodeScalarView()
        }
    }

    mutating func build() -> SigmaString {
        flush()
        return SigmaString(parts: parts)
    }
}

extension SigmaString {
    /// All literal text concatenated (wildcards and placeholders skipped).
    var literalText: String {
        var out = ""
        for case .literal(let text) in parts { out += text }
        return out
    }

    var hasPlaceholders: Bool {
        parts.contains {
            if case .placeholder = $0 { return true }
            return false
        }
    }

    /// `*` in front unless already there (MOD-endswith).
    func prependingWildcard() -> SigmaString {
        if parts.first == .wildcardMulti { return self }
        return SigmaString(parts: [.wildcardMulti] + parts)
    }

    /// `*` at the end unless already there (MOD-startswith).
    func appendingWildcard() -> SigmaString {
        if parts.last == .wildcardMulti { return self }
        return SigmaString(parts: parts + [.wildcardMulti])
    }

    /// `*` on both sides without doubling (MOD-contains, KW-02).
    func wrappedInWildcards() -> SigmaString {
        prependingWildcard().appendingWildcard()
    }
}
