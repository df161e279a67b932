/// Resolution of `%name%` placeholders under `|expand` (PH-02): every combination of configured values.
enum PlaceholderExpansion {
    /// The most alternatives one value may expand to.
    static let maxAlternatives = 4096

    /// Replaces the placeholders of a Sigma string. Configured values are parsed as Sigma strings (wildcards
    /// work); with the wildcard strategy an unknown placeholder becomes `*`.
    static func expand(
        _ value: SigmaString, with config: PlaceholderValues, at location: SourceLocation
    ) throws(RuleError) -> [SigmaString] {
        guard value.hasPlaceholders else { return [value] }
        var choices: [[[SigmaString.Part]]] = []
        for case .placeholder(let name) in value.parts {
            // A placeholder nobody configured stays in the value: the rule loads (as in pySigma, which only
            // fails when converting) and the engine refuses to run it until it is configured (PH-02).
            if config.values[name] == nil && !config.unresolvedAsWildcard {
                choices.append([[.placeholder(name)]])
                continue
            }
            let replacements = try replacements(for: name, config: config, at: location)
            choices.append(replacements.map { SigmaString(parsing: $0).parts })
        }
        var results: [SigmaString] = []
        try forEachCombination(of: choices.map(\.count), at: location) { picks in
            var builder = SigmaStringBuilder()
            var slot = 0
            for part in value.parts {
                if case .placeholder = part {
                    for replacement in choices[slot][picks[slot]] { builder.append(replacement) }
                    slot += 1
                } else {
                    builder.append(part)
                }
            }
            results.append(builder.build())
        }
        return results
    }

    /// Replaces the placeholders of a regular expression's text. A backslash escapes the next character, so
    /// `\%` stays a literal percent sign. Configured values are inserted as regex text; with the wildcard
    /// strategy an unknown placeholder becomes `.*`.
    static func expandRegex(
        _ pattern: String, with config: PlaceholderValues, at location: SourceLocation
    ) throws(RuleError) -> [String] {
        enum Piece {
            case text(String)
            case placeholder(String)
        }
        var pieces: [Piece] = []
        var text = String.UnicodeScalarView()
        let scalars = pattern.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let next = scalars.index(after: index)
            if scalar == "\\", next < scalars.endIndex {
                text.append(scalar)
                text.append(scalars[next])
                index = scalars.index(after: next)
                continue
            }
            if scalar == "%", let (name, after) = SigmaString.placeholderName(in: scalars, from: next) {
                pieces.append(.text(String(text)))
                text = String.UnicodeScalarView()
                pieces.append(.placeholder(name))
                index = after
                continue
            }
            text.append(scalar)
            index = next
        }
        pieces.append(.text(String(text)))

        var choices: [[String]] = []
        for case .placeholder(let name) in pieces {
            if config.values[name] == nil, config.unresolvedAsWildcard {
                choices.append([".*"])
            } else {
                choices.append(try replacements(for: name, config: config, at: location))
            }
        }
        if choices.isEmpty { return [pattern] }
        var results: [String] = []
        try forEachCombination(of: choices.map(\.count), at: location) { picks in
            var out = ""
            var slot = 0
            for piece in pieces {
                switch piece {
                case .text(let literal): out += literal
                case .placeholder:
                    out += choices[slot][picks[slot]]
                    slot += 1
                }
            }
            results.append(out)
        }
        return results
    }

    /// The configured values of one placeholder (`*` under the wildcard strategy when unknown).
    private static func replacements(
        for name: String, config: PlaceholderValues, at location: SourceLocation
    ) throws(RuleError) -> [String] {
        if let values = config.values[name] {
            guard !values.isEmpty else {
                throw RuleError(
                    .unresolvedPlaceholder,
                    "placeholder '%\(name.forMessage)%' is configured with an empty list of values",
                    at: location)
            }
            return values
        }
        if config.unresolvedAsWildcard { return ["*"] }
        throw RuleError(
            .unresolvedPlaceholder,
            "placeholder '%\(name.forMessage)%' has no configured values "
                + "(configure it, or enable the wildcard strategy)",
            at: location)
    }

    /// Calls `body` with every combination of choices (the first slot varies slowest).
    private static func forEachCombination(
        of counts: [Int], at location: SourceLocation, _ body: ([Int]) -> Void
    ) throws(RuleError) {
        var total = 1
        for count in counts {
            total = total.multipliedReportingOverflow(by: count).partialValue
            if total > maxAlternatives || total <= 0 {
                throw RuleError(
                    .resourceLimit,
                    "placeholders expand to more than \(maxAlternatives) alternatives in one value", at: location)
            }
        }
        var picks = [Int](repeating: 0, count: counts.count)
        for _ in 0..<total {
            body(picks)
            var slot = counts.count - 1
            while slot >= 0 {
                picks[slot] += 1
                if picks[slot] < counts[slot] { break }
                picks[slot] = 0
                slot -= 1
            }
        }
    }
}
