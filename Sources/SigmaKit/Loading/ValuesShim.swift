// TEMPORARY stand-in for the API of branch `values` (Values/, Modifiers/, Condition/), so that the loader
// builds and its tests run before that branch is merged. Deleted by the merge commit.

/// Placeholder values (stand-in).
public struct PlaceholderValues: Sendable, Hashable {
    public var values: [String: [String]]
    public var unresolvedAsWildcard: Bool
    public init(values: [String: [String]] = [:], unresolvedAsWildcard: Bool = false) {
        self.values = values
        self.unresolvedAsWildcard = unresolvedAsWildcard
    }
}

/// Builds detection items (stand-in: equality patterns only, enough for loader tests).
public enum DetectionItemBuilder {
    public static func build(
        field: String?, modifiers: [String], values: [RuleValue], location: SourceLocation,
        placeholders: PlaceholderValues = .init()
    ) throws(RuleError) -> DetectionItem {
        var mods: [Modifier] = []
        for name in modifiers {
            guard let mod = Modifier(rawValue: name) else {
                throw RuleError(.unknownModifier, "unknown modifier '\(name)'", at: location)
            }
            mods.append(mod)
        }
        if field == nil && values.contains(where: { $0.scalar == .null }) {
            throw RuleError(.invalidValue, "a keyword cannot be null", at: location)
        }
        let tests: [ValueTest] = values.map { value in
            switch value.scalar {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .int(let i): return .number(Double(i))
            case .float(let d): return .number(d)
            case .string(let s): return .pattern(SigmaString(literal: s), caseSensitive: false)
            }
        }
        return DetectionItem(
            field: field, modifiers: mods, tests: tests.isEmpty ? [.null] : tests,
            matchesAll: mods.contains(.all), isNegated: mods.contains(.neq), location: location)
    }
}

/// Condition parser (stand-in: identifiers, and/or/not, parentheses, `1 of`/`all of`).
public enum ConditionParser {
    public static func parse(_ text: String, at location: SourceLocation) throws(RuleError) -> ConditionExpression {
        var tokens: [String] = []
        var current = ""
        for ch in text {
            if ch == "(" || ch == ")" {
                if !current.isEmpty {
                    tokens.append(current)
                    current = ""
                }
                tokens.append(String(ch))
            } else if ch == " " || ch == "\n" || ch == "\t" {
                if !current.isEmpty {
                    tokens.append(current)
                    current = ""
                }
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        var pos = 0
        func fail(_ why: String) -> RuleError { RuleError(.invalidCondition, why, at: location) }
        func parseOr() throws(RuleError) -> ConditionExpression {
            var parts = [try parseAnd()]
            while pos < tokens.count && tokens[pos] == "or" {
                pos += 1
                parts.append(try parseAnd())
            }
            return parts.count == 1 ? parts[0] : .or(parts)
        }
        func parseAnd() throws(RuleError) -> ConditionExpression {
            var parts = [try parseNot()]
            while pos < tokens.count && tokens[pos] == "and" {
                pos += 1
                parts.append(try parseNot())
            }
            return parts.count == 1 ? parts[0] : .and(parts)
        }
        func parseNot() throws(RuleError) -> ConditionExpression {
            if pos < tokens.count && tokens[pos] == "not" {
                pos += 1
                return .not(try parseNot())
            }
            return try parseAtom()
        }
        func parseAtom() throws(RuleError) -> ConditionExpression {
            guard pos < tokens.count else { throw fail("condition ends too early") }
            let tok = tokens[pos]
            pos += 1
            if tok == "(" {
                let inner = try parseOr()
                guard pos < tokens.count, tokens[pos] == ")" else { throw fail("missing ')'") }
                pos += 1
                return inner
            }
            if tok == "1" || tok == "any" || tok == "all" {
                guard pos + 1 < tokens.count, tokens[pos] == "of" else { throw fail("expected 'of'") }
                let pattern = tokens[pos + 1]
                pos += 2
                return .selector(tok == "all" ? .all : .one, pattern: pattern)
            }
            guard tok.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }),
                !["and", "or", "not", "of"].contains(tok)
            else { throw fail("unexpected '\(tok)' in condition") }
            return .identifier(tok)
        }
        let expr = try parseOr()
        guard pos == tokens.count else { throw fail("unexpected '\(tokens[pos])' in condition") }
        return expr
    }
}

extension ConditionExpression {
    /// Stand-in: resolves selectors against the identifiers.
    public func resolved(identifiers: [String], at location: SourceLocation) throws(RuleError)
        -> ConditionExpression
    {
        switch self {
        case .identifier(let name):
            guard identifiers.contains(name) else {
                throw RuleError(.invalidCondition, "the condition names '\(name)', which is not defined", at: location)
            }
            return self
        case .not(let inner): return .not(try inner.resolved(identifiers: identifiers, at: location))
        case .and(let parts):
            var out: [ConditionExpression] = []
            for p in parts { out.append(try p.resolved(identifiers: identifiers, at: location)) }
            return .and(out)
        case .or(let parts):
            var out: [ConditionExpression] = []
            for p in parts { out.append(try p.resolved(identifiers: identifiers, at: location)) }
            return .or(out)
        case .selector(let q, let pattern):
            let matched = identifiers.filter { name in
                if pattern == "them" { return !name.hasPrefix("_") }
                if pattern.hasSuffix("*") { return name.hasPrefix(pattern.dropLast()) }
                return name == pattern
            }
            guard !matched.isEmpty else {
                throw RuleError(.invalidCondition, "'\(pattern)' doesn't match any detection", at: location)
            }
            let ids = matched.map { ConditionExpression.identifier($0) }
            return q == .all ? .and(ids) : .or(ids)
        }
    }

    /// Stand-in: identifiers named directly.
    public var referencedIdentifiers: Set<String> {
        switch self {
        case .identifier(let name): return [name]
        case .not(let inner): return inner.referencedIdentifiers
        case .and(let parts), .or(let parts): return parts.reduce(into: []) { $0.formUnion($1.referencedIdentifiers) }
        case .selector: return []
        }
    }
}
