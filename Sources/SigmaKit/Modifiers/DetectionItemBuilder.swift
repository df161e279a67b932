/// Turns one line of a selection (field, modifiers, values) into a ``DetectionItem`` whose tests encode every
/// modifier (§5-§7, §9, §10, §12, §14).
///
/// What the tests look like:
/// - a string value is a ``ValueTest/pattern(_:caseSensitive:)`` (wildcards typed; `contains`/`startswith`/
///   `endswith` already applied; case-sensitive only with `cased`);
/// - a keyword (field-less) pattern is wrapped in `*…*` (KW-02), and a numeric or boolean keyword searches its
///   text (`4624` → `*4624*`);
/// - an unquoted number is ``ValueTest/number(_:)``, a boolean ``ValueTest/bool(_:)``, `null` (and `f: []`)
///   ``ValueTest/null``;
/// - windash, base64offset and placeholder expansion give ``ValueTest/anyOf(_:)`` groups (always OR, CH-05); a
///   group with a single alternative is emitted as that alternative;
/// - `neq` sets ``DetectionItem/isNegated`` and `all` sets ``DetectionItem/matchesAll`` (CH-04).
public enum DetectionItemBuilder {
    /// The most alternatives (windash × base64offset × placeholders) one value may expand to.
    public static let maxAlternativesPerValue = 10_000

    /// Builds one detection item.
    ///
    /// - Parameters:
    ///   - field: The field name, or nil for a keyword item (the YAML key was absent, or was `|mod` with an empty
    ///     field part, so the modifiers apply to keywords, e.g. `'|all'`).
    ///   - modifiers: The raw modifier names after the field, e.g. `["contains", "all"]` (case-sensitive).
    ///   - values: The typed YAML scalars: one for a scalar, the elements of a list; `[]` means null (DT-08).
    ///   - location: Where the item's key is written.
    ///   - placeholders: Values for `%name%` placeholders under `|expand`.
    /// - Returns: The item, one test per value.
    /// - Throws: ``RuleError``: `.unknownModifier` for unknown or empty names; `.invalidModifier` for chains that
    ///   cannot be combined or a modifier applied to a value of the wrong type; `.invalidValue` for values that
    ///   cannot be used (bad regex or CIDR, wildcards under base64 or fieldref, non-ASCII under wide, a null
    ///   keyword, ...); `.unresolvedPlaceholder`; `.resourceLimit` for runaway expansions. Value errors carry the
    ///   value's position, chain errors the item's.
    public static func build(
        field: String?, modifiers: [String], values: [RuleValue], location: SourceLocation,
        placeholders: PlaceholderValues = .init()
    ) throws(RuleError) -> DetectionItem {
        let chain = try ModifierChain.parse(modifiers, at: location)
        try ModifierChain.validate(chain, isKeyword: field == nil, at: location)
        let context = ItemContext(
            modifiers: chain, isKeyword: field == nil, isCased: chain.contains(.cased), placeholders: placeholders)
        // DT-08: an empty list is null.
        let effective = values.isEmpty ? [RuleValue(.null, at: location)] : values
        var tests: [ValueTest] = []
        tests.reserveCapacity(effective.count)
        for value in effective {
            tests.append(try context.test(for: value))
        }
        return DetectionItem(
            field: field, modifiers: chain, tests: tests, matchesAll: chain.contains(.all),
            isNegated: chain.contains(.neq), location: location)
    }
}

/// A value on its way through the modifier chain.
private indirect enum WorkingValue {
    case string(SigmaString)
    /// An expansion group (windash, base64offset, placeholders): modifiers apply to each alternative.
    case group([WorkingValue])
    case regex(String, SigmaRegex.Flags)
    case number(Double)
    case bool(Bool)
    case null
    case fieldRef(String, startsWith: Bool, endsWith: Bool)
    case cidr(IPNetwork)
    case exists(Bool)
    case compare(ComparisonOperator, Double)
    case timePart(TimePart, ComparisonOperator, Int)

    /// How the value is described in messages.
    var kindDescription: String {
        switch self {
        case .string: return "a string"
        case .group(let items): return items.first?.kindDescription ?? "an empty expansion"
        case .regex: return "a regular expression"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        case .fieldRef: return "a field reference"
        case .cidr: return "a CIDR network"
        case .exists: return "an exists test"
        case .compare: return "a numeric comparison"
        case .timePart: return "a time part"
        }
    }

    /// Counts the alternatives of (possibly nested) groups.
    var alternativeCount: Int {
        if case .group(let items) = self { return items.reduce(0) { $0 + $1.alternativeCount } }
        return 1
    }
}

/// Everything that is the same for every value of one item.
private struct ItemContext {
    let modifiers: [Modifier]
    let isKeyword: Bool
    let isCased: Bool
    let placeholders: PlaceholderValues

    var hasExpand: Bool { modifiers.contains(.expand) }

    /// Runs one value through the chain and turns the result into a test.
    func test(for value: RuleValue) throws(RuleError) -> ValueTest {
        var working = try initial(value)
        var firstApplied = 0
        if modifiers.first == .re || modifiers.first == .cidr { firstApplied = 1 }
        for index in firstApplied..<modifiers.count {
            working = try apply(modifiers[index], at: index, to: working, value: value)
            if working.alternativeCount > DetectionItemBuilder.maxAlternativesPerValue {
                throw RuleError(
                    .resourceLimit,
                    "value expands to more than \(DetectionItemBuilder.maxAlternativesPerValue) alternatives",
                    at: value.location)
            }
        }
        return try finish(working, value: value)
    }

    // MARK: Initial value

    private func initial(_ value: RuleValue) throws(RuleError) -> WorkingValue {
        switch modifiers.first {
        case .re?:
            let text: String
            switch value.scalar {
            case .string(let raw): text = raw
            case .int, .float:
                try checkFinite(value)
                text = value.scalar.description  // NUM-06: `re: 123` is the regex `123`
            case .bool, .null:
                throw typeError(.re, value: value, got: value.scalar == .null ? .null : .bool(false), needs: "a string")
            }
            // pySigma keeps the raw text for regexes: no Sigma escaping applies.
            guard hasExpand else { return .regex(text, []) }
            let patterns = try PlaceholderExpansion.expandRegex(text, with: placeholders, at: value.location)
            return group(patterns.map { .regex($0, []) })
        case .cidr?:
            guard case .string(let raw) = value.scalar else {
                throw typeError(.cidr, value: value, got: try plain(value), needs: "a string")
            }
            do {
                return .cidr(try IPNetwork(parsing: raw))
            } catch {
                throw RuleError(error.code, error.message, at: error.location ?? value.location)
            }
        default:
            switch value.scalar {
            case .string(let text):
                let parsed = SigmaString(parsing: text, placeholders: hasExpand)
                guard hasExpand else { return .string(parsed) }
                let expanded = try PlaceholderExpansion.expand(parsed, with: placeholders, at: value.location)
                return group(expanded.map { .string($0) })
            default:
                return try plain(value)
            }
        }
    }

    /// A non-string scalar as a working value.
    private func plain(_ value: RuleValue) throws(RuleError) -> WorkingValue {
        switch value.scalar {
        case .string(let text): return .string(SigmaString(parsing: text))
        case .int(let number): return .number(Double(number))
        case .float(let number):
            try checkFinite(value)
            return .number(number)  // NUM-02: 4624.0 is 4624
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        }
    }

    private func checkFinite(_ value: RuleValue) throws(RuleError) {
        if case .float(let number) = value.scalar, !number.isFinite {
            throw RuleError(
                .invalidValue, "invalid number '\(number)': only finite numbers are allowed",
                at: value.location)
        }
    }

    private func group(_ items: [WorkingValue]) -> WorkingValue {
        items.count == 1 ? items[0] : .group(items)
    }

    // MARK: Modifiers

    private func apply(
        _ modifier: Modifier, at index: Int, to working: WorkingValue, value: RuleValue
    ) throws(RuleError) -> WorkingValue {
        // List modifiers act on the whole item (CH-04) and leave values alone.
        if modifier == .all || modifier == .neq { return working }
        if case .group(let items) = working {
            var out: [WorkingValue] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try apply(modifier, at: index, to: item, value: value)) }
            return .group(out)
        }
        let applied = modifiers[..<index]
        switch modifier {
        case .contains, .startswith, .endswith:
            switch working {
            case .string(let string):
                switch modifier {
                case .contains: return .string(string.wrappedInWildcards())
                case .startswith: return .string(string.appendingWildcard())
                default: return .string(string.prependingWildcard())
                }
            case .regex(let pattern, let flags):
                return .regex(RegexAffixes.apply(modifier, to: pattern), flags)
            case .fieldRef(let name, let starts, let ends):
                return .fieldRef(
                    name, startsWith: starts || modifier != .endswith, endsWith: ends || modifier != .startswith)
            default:
                throw typeError(modifier, value: value, got: working, needs: "a string")
            }

        case .cased:
            switch working {
            case .string, .fieldRef: return working
            default: throw typeError(modifier, value: value, got: working, needs: "a string")
            }

        case .expand:
            switch working {
            case .string, .regex: return working  // placeholders were expanded when the value was read
            default: throw typeError(modifier, value: value, got: working, needs: "a string or regular expression")
            }

        case .base64, .base64offset:
            guard case .string(let string) = working else {
                throw typeError(modifier, value: value, got: working, needs: "a string")
            }
            if string.hasWildcards {
                if let adder = applied.first(where: { [.contains, .startswith, .endswith].contains($0) }) {
                    throw RuleError(
                        .invalidModifier,
                        "'\(modifier.rawValue)' cannot encode the wildcards that '\(adder.rawValue)' added: "
                            + "put '\(adder.rawValue)' after '\(modifier.rawValue)'",
                        at: value.location)
                }
                throw RuleError(
                    .invalidValue,
                    "'\(modifier.rawValue)' cannot encode a value with wildcards ('\(string.description.forMessage)')",
                    at: value.location)
            }
            let bytes = ValueEncoding.bytesToEncode(string.literalText, afterUTF16: applied.contains(.utf16))
            if modifier == .base64 {
                return .string(SigmaString(literal: ValueEncoding.base64(bytes)))
            }
            return .group(ValueEncoding.base64Offsets(bytes).map { .string(SigmaString(literal: $0)) })

        case .wide, .utf16le, .utf16be, .utf16:
            guard case .string(let string) = working else {
                throw typeError(modifier, value: value, got: working, needs: "a string")
            }
            let form: ValueEncoding.UTF16Form = modifier == .utf16be ? .bigEndian : .littleEndian
            var parts: [SigmaString.Part] = modifier == .utf16 ? [.literal("\u{FEFF}")] : []
            for part in string.parts {
                guard case .literal(let text) = part else {
                    parts.append(part)
                    continue
                }
                switch ValueEncoding.widen(text, form) {
                case .success(let wide): parts.append(.literal(wide))
                case .failure(let nonASCII):
                    throw RuleError(
                        .invalidValue,
                        "'\(modifier.rawValue)' only encodes ASCII text, but '\(Character(nonASCII.scalar))' "
                            + "in '\(string.description.forMessage)' is not ASCII",
                        at: value.location)
                }
            }
            var builder = SigmaStringBuilder()
            for part in parts { builder.append(part) }
            return .string(builder.build())

        case .windash:
            guard case .string(let string) = working else {
                throw typeError(modifier, value: value, got: working, needs: "a string")
            }
            let (variants, positions) = ValueEncoding.windash(string)
            if positions > 3 {
                throw RuleError(
                    .invalidValue,
                    "'windash' expands at most 3 dashes, but '\(string.description.forMessage)' has \(positions) "
                        + "expandable positions",
                    at: value.location)
            }
            return group(variants.map { .string($0) })

        case .i, .ignorecase, .m, .multiline, .s, .dotall:
            guard case .regex(let pattern, var flags) = working else {
                throw typeError(modifier, value: value, got: working, needs: "a regular expression")
            }
            switch modifier {
            case .i, .ignorecase: flags.insert(.ignoreCase)
            case .m, .multiline: flags.insert(.multiline)
            default: flags.insert(.dotAll)
            }
            return .regex(pattern, flags)

        case .exists:
            guard case .bool(let flag) = working else {
                throw typeError(modifier, value: value, got: working, needs: "a boolean (true or false)")
            }
            return .exists(flag)

        case .fieldref:
            guard case .string(let string) = working else {
                throw typeError(modifier, value: value, got: working, needs: "a string (a field name)")
            }
            if string.hasWildcards {
                throw RuleError(
                    .invalidValue, "a field reference must not contain wildcards ('\(string.description.forMessage)')",
                    at: value.location)
            }
            return .fieldRef(string.literalText, startsWith: false, endsWith: false)

        case .gt, .gte, .lt, .lte:
            let op: ComparisonOperator
            switch modifier {
            case .gt: op = .greater
            case .gte: op = .greaterOrEqual
            case .lt: op = .less
            default: op = .lessOrEqual
            }
            switch working {
            case .number(let number): return .compare(op, number)
            case .timePart(let part, .equal, let number): return .timePart(part, op, number)
            default: throw typeError(modifier, value: value, got: working, needs: "a number")
            }

        case .minute, .hour, .day, .week, .month, .year:
            guard case .number(let number) = working else {
                throw typeError(modifier, value: value, got: working, needs: "an integer")
            }
            guard number.rounded() == number, abs(number) < 1e15, let part = TimePart(rawValue: modifier.rawValue)
            else {
                throw RuleError(
                    .invalidValue,
                    "'\(modifier.rawValue)' needs an integer, not \(value.scalar.description.forMessage)",
                    at: value.location)
            }
            return .timePart(part, .equal, Int(number))

        case .re, .cidr:
            // Only valid first (checked by ModifierChain.validate) and consumed by `initial`.
            throw RuleError(.invalidModifier, "'\(modifier.rawValue)' must be the first modifier", at: value.location)

        case .all, .neq:
            return working
        }
    }

    // MARK: Result

    private func finish(_ working: WorkingValue, value: RuleValue) throws(RuleError) -> ValueTest {
        switch working {
        case .string(let string):
            return .pattern(isKeyword ? string.wrappedInWildcards() : string, caseSensitive: isCased)
        case .group(let items):
            var tests: [ValueTest] = []
            for item in items {
                let test = try finish(item, value: value)
                // Nested groups (windash then base64offset) are all OR: flatten them.
                if case .anyOf(let inner) = test { tests.append(contentsOf: inner) } else { tests.append(test) }
            }
            return tests.count == 1 ? tests[0] : .anyOf(tests)
        case .regex(let pattern, let flags):
            do {
                return .regex(try SigmaRegex(pattern: pattern, flags: flags))
            } catch {
                throw RuleError(error.code, error.message, at: error.location ?? value.location)
            }
        case .number(let number):
            // KW-04: a numeric keyword searches its decimal text.
            if isKeyword { return .pattern(keywordText(RuleScalar.float(number).description), caseSensitive: isCased) }
            return .number(number)
        case .bool(let flag):
            if isKeyword { return .pattern(keywordText(flag ? "true" : "false"), caseSensitive: isCased) }
            return .bool(flag)
        case .null:
            if isKeyword {
                throw RuleError(.invalidValue, "a keyword cannot be null", at: value.location)
            }
            return .null
        case .fieldRef(let name, let starts, let ends):
            let mode: FieldRefMode
            switch (starts, ends) {
            case (true, true): mode = .contains
            case (true, false): mode = .startswith
            case (false, true): mode = .endswith
            case (false, false): mode = .equals
            }
            return .fieldRef(name, mode: mode, caseSensitive: isCased)
        case .cidr(let network): return .cidr(network)
        case .exists(let flag): return .exists(flag)
        case .compare(let op, let number): return .compare(op, number)
        case .timePart(let part, let op, let number): return .timePart(part, op, number)
        }
    }

    private func keywordText(_ text: String) -> SigmaString {
        SigmaString(literal: text).wrappedInWildcards()
    }

    // MARK: Errors

    /// A modifier applied to a value of the wrong type (NUM-05, CH-03), with a hint for the usual mistakes.
    private func typeError(
        _ modifier: Modifier, value: RuleValue, got working: WorkingValue, needs: String
    ) -> RuleError {
        let name = "'\(modifier.rawValue)'"
        var message: String
        switch (working, value.scalar) {
        case (.number, .int), (.number, .float):
            message = "\(name) needs \(needs), but \(value.scalar.description.forMessage) is a number"
            if needs.hasPrefix("a string") {
                message += "; quote it ('\(value.scalar.description.forMessage)') to compare text"
            }
        case (.bool, .bool(let flag)):
            message = "\(name) needs \(needs), but \(flag) is a boolean"
        case (.null, _):
            message = "\(name) cannot be applied to null"
        case (.string, .string(let text)) where needs == "a number" || needs == "an integer":
            message = "\(name) needs \(needs), but '\(text.forMessage)' is a string; write it without quotes"
        case (.string, .string(let text)) where needs.hasPrefix("a boolean"):
            message = "\(name) needs \(needs), but '\(text.forMessage)' is a string; write true or false without quotes"
        default:
            message = "\(name) needs \(needs), but the value is \(working.kindDescription) here"
            if let position = modifiers.firstIndex(of: modifier), position > 0 {
                message += " (after '\(modifiers[position - 1].rawValue)')"
            }
        }
        return RuleError(.invalidModifier, message, at: value.location)
    }
}
