extension ConditionExpression {
    /// Replaces selectors by AND/OR of the matching identifiers (CND-04 .. CND-07).
    ///
    /// - `1 of P` / `any of P` becomes the OR, `all of P` the AND, of the identifiers matching `P` in definition
    ///   order; a selector matching exactly one identifier becomes that identifier.
    /// - `*` in a pattern matches any run of characters and the whole identifier must match (`1 of sel1` does
    ///   not reach `sel1_extra`).
    /// - `them`, and every pattern that does not itself start with `_`, skip identifiers starting with `_`
    ///   (`1 of _*` reaches them; a direct reference `_x` is always allowed).
    ///
    /// - Parameters:
    ///   - identifiers: The detection's search identifiers, in definition order.
    ///   - location: Where the condition is written, for errors.
    /// - Throws: ``RuleError`` `.invalidCondition` when a selector matches nothing or an identifier is undefined.
    public func resolved(identifiers: [String], at location: SourceLocation) throws(RuleError) -> ConditionExpression {
        let defined = Set(identifiers)
        return try resolved(identifiers: identifiers, defined: defined, at: location)
    }

    private func resolved(
        identifiers: [String], defined: Set<String>, at location: SourceLocation
    ) throws(RuleError) -> ConditionExpression {
        switch self {
        case .identifier(let name):
            guard defined.contains(name) else {
                throw RuleError(
                    .invalidCondition,
                    "condition references '\(name.forMessage)', which the detection does not define"
                        + Self.definedList(identifiers),
                    at: location)
            }
            return self
        case .not(let inner):
            return .not(try inner.resolved(identifiers: identifiers, defined: defined, at: location))
        case .and(let parts):
            var out: [ConditionExpression] = []
            out.reserveCapacity(parts.count)
            for part in parts {
                out.append(try part.resolved(identifiers: identifiers, defined: defined, at: location))
            }
            return .and(out)
        case .or(let parts):
            var out: [ConditionExpression] = []
            out.reserveCapacity(parts.count)
            for part in parts {
                out.append(try part.resolved(identifiers: identifiers, defined: defined, at: location))
            }
            return .or(out)
        case .selector(let quantifier, let pattern):
            let matches = identifiers.filter { Self.selector(pattern, matches: $0) }
            guard !matches.isEmpty else {
                throw RuleError(
                    .invalidCondition,
                    "condition: '\(description.forMessage)' doesn't match any detection"
                        + Self.definedList(identifiers),
                    at: location)
            }
            if matches.count == 1 { return .identifier(matches[0]) }
            let parts = matches.map { ConditionExpression.identifier($0) }
            return quantifier == .one ? .or(parts) : .and(parts)
        }
    }

    /// Identifiers referenced (after resolution). Selectors of an unresolved expression contribute nothing.
    public var referencedIdentifiers: Set<String> {
        var names = Set<String>()
        collectIdentifiers(into: &names)
        return names
    }

    private func collectIdentifiers(into names: inout Set<String>) {
        switch self {
        case .identifier(let name): names.insert(name)
        case .not(let inner): inner.collectIdentifiers(into: &names)
        case .and(let parts), .or(let parts): for part in parts { part.collectIdentifiers(into: &names) }
        case .selector: break
        }
    }

    /// True when the selector pattern (`them`, or a pattern with `*` wildcards) selects `identifier`.
    static func selector(_ pattern: String, matches identifier: String) -> Bool {
        if pattern == "them" { return !identifier.hasPrefix("_") }
        // `_`-identifiers are private: only a pattern that itself starts with `_` reaches them.
        if identifier.hasPrefix("_"), !pattern.hasPrefix("_") { return false }
        return globMatch(Array(pattern.unicodeScalars), Array(identifier.unicodeScalars))
    }

    /// `*`-only glob matching of the whole text (greedy with backtracking to the last star: O(n·m) worst case).
    private static func globMatch(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> Bool {
        var p = 0
        var t = 0
        var starP = -1
        var starT = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "*" {
                starP = p
                starT = t
                p += 1
            } else if p < pattern.count, pattern[p] == text[t] {
                p += 1
                t += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    private static func definedList(_ identifiers: [String]) -> String {
        if identifiers.isEmpty { return " (no search identifiers are defined)" }
        let shown = identifiers.prefix(10).map(\.forMessage).joined(separator: ", ")
        return " (defined: \(shown)\(identifiers.count > 10 ? ", ..." : ""))"
    }
}
