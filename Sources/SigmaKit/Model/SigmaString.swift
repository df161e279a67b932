/// A Sigma string value as a sequence of typed parts (ST-04): wildcards and placeholders are never
/// characters inside text, so modifiers can add them without re-parsing and without escape mistakes.
public struct SigmaString: Sendable, Hashable, CustomStringConvertible {
    public enum Part: Sendable, Hashable {
        /// Literal text (escapes already resolved).
        case literal(String)
        /// `*`: zero or more characters.
        case wildcardMulti
        /// `?`: exactly one character.
        case wildcardSingle
        /// `%name%` under `|expand`.
        case placeholder(String)
    }

    public var parts: [Part]

    public init(parts: [Part]) { self.parts = parts }

    /// A plain literal with no wildcards.
    public init(literal: String) { self.parts = literal.isEmpty ? [] : [.literal(literal)] }

    /// Re-serialises with Sigma escaping (`*`, `?`, `\` escaped inside literals) — for display only, never
    /// to be parsed back by the engine.
    public var description: String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text):
                for ch in text {
                    if ch == "*" || ch == "?" || ch == "\\" { out.append("\\") }
                    out.append(ch)
                }
            case .wildcardMulti: out.append("*")
            case .wildcardSingle: out.append("?")
            case .placeholder(let name): out.append("%\(name)%")
            }
        }
        return out
    }

    /// True when the value contains a `*` or `?` wildcard.
    public var hasWildcards: Bool {
        parts.contains { $0 == .wildcardMulti || $0 == .wildcardSingle }
    }

    /// The literal text when the value is one plain literal (or empty), nil otherwise.
    public var plainLiteral: String? {
        if parts.isEmpty { return "" }
        if parts.count == 1, case .literal(let text) = parts[0] { return text }
        return nil
    }
}
