/// A `LIKE` pattern as typed parts: literal text and the two wildcards. Dialects escape the literal parts with
/// their own escape character and always write an explicit `ESCAPE` clause (style guide §4.6).
public struct LikePattern: Sendable, Hashable {
    /// One piece of a pattern.
    public enum Part: Sendable, Hashable {
        /// Literal text, matched as is (`%`, `_` and the escape character are escaped by the dialect).
        case literal(String)
        /// Any run of characters (Sigma `*`, SQL `%`).
        case anyString
        /// Exactly one character (Sigma `?`, SQL `_`).
        case anyCharacter
    }

    /// The parts, adjacent literals merged.
    public private(set) var parts: [Part]

    /// Builds a pattern, merging adjacent literals and collapsing runs of `anyString`.
    public init(_ parts: [Part]) {
        var out: [Part] = []
        for part in parts {
            switch (out.last, part) {
            case (.literal(let a)?, .literal(let b)):
                out[out.count - 1] = .literal(a + b)
            case (.anyString?, .anyString):
                continue
            case (_, .literal(let text)) where text.isEmpty:
                continue
            default:
                out.append(part)
            }
        }
        self.parts = out
    }

    /// True when the pattern is one literal (or empty): an equality test.
    public var literalValue: String? {
        if parts.isEmpty { return "" }
        if parts.count == 1, case .literal(let text) = parts[0] { return text }
        return nil
    }

    /// True when the pattern is a single `%`: it matches every non-null text.
    public var matchesEverything: Bool { parts == [.anyString] }

    /// The pattern with every literal part mapped (for case folding).
    func mapLiterals(_ transform: (String) -> String) -> LikePattern {
        LikePattern(parts.map { part in
            if case .literal(let text) = part { return .literal(transform(text)) }
            return part
        })
    }

    /// The literal parts' text, concatenated.
    var literalText: String {
        parts.reduce(into: "") { text, part in
            if case .literal(let literal) = part { text += literal }
        }
    }

    /// True when every literal part is ASCII (so folding it here equals the engine's `lower()`).
    var isASCII: Bool { literalText.utf8.allSatisfy { $0 < 0x80 } }
}

/// A regular expression with Sigma's flags (`|re|i`, `|re|m`, `|re|s`), searched (unanchored).
public struct RegexPattern: Sendable, Hashable {
    /// The regex text as written in the rule.
    public var pattern: String
    /// `|i`: case-insensitive.
    public var ignoreCase: Bool
    /// `|m`: `^` and `$` match at line breaks.
    public var multiline: Bool
    /// `|s`: `.` matches a line break.
    public var dotAll: Bool

    /// A regex with its flags.
    public init(pattern: String, ignoreCase: Bool = false, multiline: Bool = false, dotAll: Bool = false) {
        self.pattern = pattern
        self.ignoreCase = ignoreCase
        self.multiline = multiline
        self.dotAll = dotAll
    }

    /// The inline flag group (`(?i)`, `(?ms)`, ...) that every target engine understands, or "".
    var inlineFlags: String {
        var flags = ""
        if ignoreCase { flags += "i" }
        if multiline { flags += "m" }
        if dotAll { flags += "s" }
        return flags.isEmpty ? "" : "(?\(flags))"
    }
}

/// A path inside a JSON value: the field names, in order. Array fan-out is implied (EV-02), never written.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// The field names.
    public var components: [String]

    /// A path of field names.
    public init(_ components: [String]) { self.components = components }

    /// The path with one more component.
    public func appending(_ component: String) -> JSONPath { JSONPath(components + [component]) }

    /// Dotted form, for messages.
    public var description: String { components.joined(separator: ".") }

    /// True when a component can be written as `.name` in every dialect's path syntax.
    static func isPlainKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, first.isASCIILetter || first == "_" else { return false }
        return key.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) }
    var isASCIIDigit: Bool { (0x30...0x39).contains(value) }
}
