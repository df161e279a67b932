/// Modifier names and the chaining rules that do not depend on the values (§9, CH-01 .. CH-04).
enum ModifierChain {
    /// Modifiers that turn text into bytes; placeholders must be expanded before them.
    static let encoders: Set<Modifier> = [.base64, .base64offset, .wide, .utf16le, .utf16be, .utf16]
    static let regexFlags: Set<Modifier> = [.i, .ignorecase, .m, .multiline, .s, .dotall]
    static let comparisons: Set<Modifier> = [.gt, .gte, .lt, .lte]
    static let timeParts: Set<Modifier> = [.minute, .hour, .day, .week, .month, .year]
    /// What may follow `fieldref` (MOD-fieldref), plus the list modifier `all` (CH-04) and `cased`.
    static let afterFieldRef: Set<Modifier> = [.contains, .startswith, .endswith, .neq, .all, .cased]

    /// Maps raw names to modifiers. Names are case-sensitive; unknown or empty names are errors.
    static func parse(_ names: [String], at location: SourceLocation) throws(RuleError) -> [Modifier] {
        var modifiers: [Modifier] = []
        modifiers.reserveCapacity(names.count)
        for name in names {
            if let modifier = Modifier(rawValue: name) {
                modifiers.append(modifier)
                continue
            }
            if name.isEmpty {
                throw RuleError(
                    .unknownModifier, "empty modifier name (two '|' in a row, or a trailing '|')", at: location)
            }
            if let other = Modifier(rawValue: name.lowercased()) {
                throw RuleError(
                    .unknownModifier,
                    "unknown modifier '\(name.forMessage)': modifier names are case-sensitive, "
                        + "write '\(other.rawValue)'",
                    at: location)
            }
            throw RuleError(.unknownModifier, "unknown modifier '\(name.forMessage)'", at: location)
        }
        return modifiers
    }

    /// Checks the order and combination rules that hold whatever the values are.
    static func validate(_ modifiers: [Modifier], isKeyword: Bool, at location: SourceLocation) throws(RuleError) {
        func reject(_ message: String) -> RuleError { RuleError(.invalidModifier, message, at: location) }

        if modifiers.contains(.cased), modifiers.contains(.re) {
            throw reject(
                "'cased' cannot be combined with 're': a regular expression is already case-sensitive "
                    + "(use 're|i' for case-insensitive matching)")
        }
        var comparison: Modifier?
        var timePart: Modifier?
        var encoder: Modifier?
        for (index, modifier) in modifiers.enumerated() {
            let previous = index > 0 ? "'\(modifiers[index - 1].rawValue)'" : ""
            switch modifier {
            case .re where index != 0:
                throw reject("'re' must be the first modifier (it follows \(previous))")
            case .cidr where index != 0:
                throw reject("'cidr' must be the first modifier (it follows \(previous))")
            case .exists:
                if isKeyword {
                    throw reject("'exists' needs a field: it cannot be applied to keywords")
                }
                if modifiers.count > 1 {
                    let others = modifiers.filter { $0 != .exists }.map { "'\($0.rawValue)'" }
                    throw reject(
                        "'exists' cannot be combined with other modifiers (found \(others.joined(separator: ", ")))")
                }
            case .fieldref:
                if isKeyword {
                    throw reject("'fieldref' needs a field: it cannot be applied to keywords")
                }
                if let bad = modifiers[(index + 1)...].first(where: { !afterFieldRef.contains($0) }) {
                    throw reject(
                        "'\(bad.rawValue)' cannot follow 'fieldref': only 'contains', 'startswith', 'endswith' "
                            + "and 'neq' may")
                }
            case .i, .ignorecase, .m, .multiline, .s, .dotall:
                if modifiers.first != .re {
                    throw reject(
                        "'\(modifier.rawValue)' is a regular-expression flag: it needs 're' as the first modifier")
                }
            case .gt, .gte, .lt, .lte:
                if let first = comparison {
                    throw reject("'\(first.rawValue)' and '\(modifier.rawValue)' cannot be chained")
                }
                comparison = modifier
            case .minute, .hour, .day, .week, .month, .year:
                if let first = timePart {
                    throw reject("'\(first.rawValue)' and '\(modifier.rawValue)' cannot be chained")
                }
                if let first = comparison {
                    throw reject(
                        "'\(modifier.rawValue)' must come before '\(first.rawValue)' (write "
                            + "'\(modifier.rawValue)|\(first.rawValue)')")
                }
                timePart = modifier
            case .base64, .base64offset, .wide, .utf16le, .utf16be, .utf16:
                encoder = encoder ?? modifier
            case .expand:
                if let first = encoder {
                    throw reject(
                        "'expand' must come before '\(first.rawValue)': placeholders are expanded before encoding")
                }
            default:
                break
            }
        }
        // `cidr` is first; after it only the list modifiers may come (CH-02, CH-04).
        if modifiers.first == .cidr, let bad = modifiers.dropFirst().first(where: { $0 != .all && $0 != .neq }) {
            throw reject("'cidr' cannot be combined with '\(bad.rawValue)'")
        }
    }
}
