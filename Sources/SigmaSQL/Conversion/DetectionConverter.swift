import SigmaKit

/// Turns the detection section of one rule (and the filters applied to it) into a boolean ``SQLExpr`` for one
/// table layout, with Sigma's two-valued logic (EV-07) and value semantics (§5-§12 of the semantics contract).
struct DetectionConverter {
    let layout: TableLayout
    /// The rule being converted, for error messages.
    let ruleTitle: String
    let ruleID: String?
    /// Things the user should know about the query (a field the layout cannot hold, a dialect limit...).
    private(set) var warnings: [String] = []
    private var variableCounter = 0

    init(layout: TableLayout, ruleTitle: String, ruleID: String?) {
        self.layout = layout
        self.ruleTitle = ruleTitle
        self.ruleID = ruleID
    }

    // MARK: Errors and warnings

    func error(_ construct: String, _ reason: String, at location: SourceLocation?) -> ConversionError {
        ConversionError(
            construct: construct, reason: reason, ruleTitle: ruleTitle, ruleID: ruleID, target: layout.target,
            location: location)
    }

    mutating func warn(_ message: String) {
        if !warnings.contains(message) { warnings.append(message) }
    }

    private mutating func freshVariable() -> String {
        variableCounter += 1
        return variableCounter == 1 ? "v" : "v\(variableCounter)"
    }

    // MARK: Conditions

    /// The rule's conditions (a list is OR, CND-09), each over its detections.
    mutating func condition(
        _ conditions: [ConditionExpression], detections: [Detection], location: SourceLocation
    ) throws(ConversionError) -> SQLExpr {
        var terms: [SQLExpr] = []
        for condition in conditions {
            let resolved: ConditionExpression
            do {
                resolved = try condition.resolved(identifiers: detections.map(\.name), at: location)
            } catch {
                throw self.error("condition '\(condition)'", error.message, at: location)
            }
            terms.append(try expression(resolved, detections: detections, location: location))
        }
        return .or(terms)
    }

    private mutating func expression(
        _ condition: ConditionExpression, detections: [Detection], location: SourceLocation
    ) throws(ConversionError) -> SQLExpr {
        switch condition {
        case .identifier(let name):
            guard let detection = detections.first(where: { $0.name == name }) else {
                throw error("condition identifier '\(name)'", "the detection does not define it", at: location)
            }
            return try node(detection.root)
        case .not(let inner):
            return try expression(inner, detections: detections, location: location).negatedTwoValued
        case .and(let parts):
            var terms: [SQLExpr] = []
            for part in parts { terms.append(try expression(part, detections: detections, location: location)) }
            return .and(terms)
        case .or(let parts):
            var terms: [SQLExpr] = []
            for part in parts { terms.append(try expression(part, detections: detections, location: location)) }
            return .or(terms)
        case .selector:
            throw error("condition '\(condition)'", "selector left unresolved", at: location)
        }
    }

    private mutating func node(_ node: DetectionNode) throws(ConversionError) -> SQLExpr {
        switch node {
        case .item(let item): return try self.item(item)
        case .and(let nodes):
            var terms: [SQLExpr] = []
            for child in nodes { terms.append(try self.node(child)) }
            return .and(terms)
        case .or(let nodes):
            var terms: [SQLExpr] = []
            for child in nodes { terms.append(try self.node(child)) }
            return .or(terms)
        }
    }

    // MARK: Items

    /// One detection item: its tests OR-ed (AND-ed with `|all`), negated as a whole with `|neq`.
    mutating func item(_ item: DetectionItem) throws(ConversionError) -> SQLExpr {
        let access: FieldAccess
        let fieldName: String
        if let field = item.field {
            for component in field.split(separator: ".", omittingEmptySubsequences: false)
            where component.contains(where: { "\"'\\[]`".contains($0) }) || component.isEmpty {
                throw error(
                    "field '\(field)'",
                    "field names with quotes, brackets, backslashes or empty parts are not supported",
                    at: item.location)
            }
            access = layout.resolve(field)
            fieldName = field
        } else {
            guard let values = layout.keywordValues else {
                throw error(
                    "keyword search (a value without a field)",
                    "this table layout cannot enumerate every value of a record (only the duckdb target can)",
                    at: item.location)
            }
            access = .json(source: values, path: JSONPath([]))
            fieldName = "<keywords>"
        }
        var result: SQLExpr
        if item.matchesAll {
            var terms: [SQLExpr] = []
            for test in item.tests { terms.append(try tests([test], on: access, field: fieldName, item: item)) }
            result = .and(terms)
        } else {
            result = try tests(item.tests, on: access, field: fieldName, item: item)
        }
        if item.isNegated { result = result.negatedTwoValued }
        return result
    }

    private static func isPresenceTest(_ test: ValueTest) -> Bool {
        switch test {
        case .null, .exists: return true
        default: return false
        }
    }

    /// Any of `tests` on the field: presence tests on the field itself, value tests quantified over its values.
    private mutating func tests(
        _ tests: [ValueTest], on access: FieldAccess, field: String, item: DetectionItem
    ) throws(ConversionError) -> SQLExpr {
        var terms: [SQLExpr] = []
        let valueTests = tests.filter { !Self.isPresenceTest($0) }
        for test in tests where Self.isPresenceTest(test) {
            terms.append(try presence(test, on: access, field: field, item: item))
        }
        if !valueTests.isEmpty {
            terms.append(try quantified(valueTests, on: access, field: field, item: item))
        }
        return .or(terms)
    }

    /// `null` (NV-01) and `exists` (NV-05, D7).
    private mutating func presence(
        _ test: ValueTest, on access: FieldAccess, field: String, item: DetectionItem
    ) throws(ConversionError) -> SQLExpr {
        let wantsNull: Bool
        var existsValue = true
        switch test {
        case .null: wantsNull = true
        case .exists(let value):
            wantsNull = false
            existsValue = value
        default: wantsNull = true
        }
        let keyPresent: SQLExpr
        switch access {
        case .scalar(let expr, let hasKey):
            if wantsNull { return .isNull(expr) }
            if let hasKey {
                keyPresent = hasKey
            } else {
                keyPresent = .isNotNull(expr)
                warn(exactPresenceWarning(field))
            }
        case .objectText(let expr), .structObject(let expr):
            if wantsNull { return .isNull(expr) }
            keyPresent = .isNotNull(expr)
            warn(exactPresenceWarning(field))
        case .json(let source, let path):
            if wantsNull { return .jsonHasValue(source, path).negatedTwoValued }
            keyPresent = .jsonHasKey(source, path)
        case .structArray(let column, let name):
            let variable = freshVariable()
            let any = SQLExpr.anyMatch(column, variable: variable, .isNotNull(.field(.variable(variable), name)))
            if wantsNull { return any.negatedTwoValued }
            keyPresent = any
            warn(exactPresenceWarning(field))
        case .absent(let reason):
            warn("\(reason); the field is always missing there")
            return wantsNull || !existsValue ? .true : .false
        case .unsupported(let reason):
            throw error("field '\(field)'", reason, at: item.location)
        }
        return existsValue ? keyPresent : keyPresent.negatedTwoValued
    }

    private func exactPresenceWarning(_ field: String) -> String {
        "'\(field)': this table layout stores a JSON null like a missing key, so `exists` cannot see a key "
            + "present with a null value (D7); it is read as missing"
    }

    /// Value tests quantified over the field's values: true when some value passes some test (EV-02).
    private mutating func quantified(
        _ tests: [ValueTest], on access: FieldAccess, field: String, item: DetectionItem
    ) throws(ConversionError) -> SQLExpr {
        switch access {
        case .scalar(let expr, _):
            return try predicate(tests, on: expr, mayBeObject: false, item: item)
        case .objectText(let expr):
            return try predicate(tests, on: expr, mayBeObject: true, item: item)
        case .json(let source, let path):
            let variable = freshVariable()
            let unescape = tests.contains(where: Self.needsUnescape)
            let values: SQLExpr = path.components.isEmpty
                ? source : .jsonValues(source, path, unescapeObjects: unescape)
            // Objects among the values are unescaped by the dialect when a test needs it.
            let body = try predicate(tests, on: .variable(variable), mayBeObject: false, item: item)
            return .anyMatch(values, variable: variable, body)
        case .structArray(let column, let name):
            let variable = freshVariable()
            let body = try predicate(tests, on: .field(.variable(variable), name), mayBeObject: false, item: item)
            return .anyMatch(column, variable: variable, body)
        case .structObject:
            throw error(
                "field '\(field)' compared with a value",
                "it is a struct column in this table layout, which has no JSON text to compare (D1)",
                at: item.location)
        case .absent(let reason):
            warn("\(reason); the field is always missing there")
            return .false
        case .unsupported(let reason):
            throw error("field '\(field)'", reason, at: item.location)
        }
    }

    /// Any of the value tests on one text value.
    private mutating func predicate(
        _ tests: [ValueTest], on text: SQLExpr, mayBeObject: Bool, item: DetectionItem
    ) throws(ConversionError) -> SQLExpr {
        var terms: [SQLExpr] = []
        for test in tests { terms.append(try predicate(test, on: text, mayBeObject: mayBeObject, item: item)) }
        return .or(terms)
    }

    private mutating func predicate(
        _ test: ValueTest, on text: SQLExpr, mayBeObject: Bool, item: DetectionItem
    ) throws(ConversionError) -> SQLExpr {
        switch test {
        case .pattern(let value, let caseSensitive):
            var parts: [LikePattern.Part] = []
            for part in value.parts {
                switch part {
                case .literal(let literal): parts.append(.literal(literal))
                case .wildcardMulti: parts.append(.anyString)
                case .wildcardSingle: parts.append(.anyCharacter)
                case .placeholder(let name):
                    throw error(
                        "placeholder %\(name)%", "no value is configured for it (PH-02); give its values when loading",
                        at: item.location)
                }
            }
            let pattern = LikePattern(parts)
            var operand = text
            if mayBeObject, Self.needsUnescape(pattern) { operand = .unescapeJSON(operand) }
            return like(operand, pattern, caseSensitive: caseSensitive)
        case .number(let number):
            return .and([.regex(text, Self.jsonNumber), .compare(.equal, .call(.tryDouble, text), .double(number))])
        case .bool(let value):
            return .compare(.equal, .lower(text), .string(value ? "true" : "false"))
        case .regex(let regex):
            let pattern = RegexPattern(
                pattern: regex.pattern, ignoreCase: regex.flags.contains(.ignoreCase),
                multiline: regex.flags.contains(.multiline), dotAll: regex.flags.contains(.dotAll))
            return .regex(mayBeObject ? .unescapeJSON(text) : text, pattern)
        case .cidr(let network):
            if !network.isIPv6 { return .regex(text, RegexPattern(pattern: IPv4Regex.pattern(for: network))) }
            guard layout.target == .athena || layout.target == .cloudTrailLake else {
                throw error(
                    "|cidr with the IPv6 network \(network)",
                    (layout.target == .duckdb
                        ? "DuckDB's IP address type comes with the inet extension, which a query cannot count on"
                        : "Spark SQL has no IP address type") + ", and IPv6 text forms are too many for a pattern",
                    at: item.location)
            }
            return .and([
                .call(.contains, text, .string(":")), .call(.ipv6NetworkContains, text, .string("\(network)")),
            ])
        case .compare(let op, let number):
            let comparison = SQLExpr.compare(Self.comparison(op), .call(.tryDouble, text), .double(number))
            return .and([.regex(text, Self.jsonNumber), comparison])
        case .fieldRef(let other, let mode, let caseSensitive):
            return try fieldReference(text, other: other, mode: mode, caseSensitive: caseSensitive, item: item)
        case .timePart(let part, let op, let value):
            if layout.target == .spark {
                warn("time-part modifiers read the time in Spark's session time zone: run with "
                    + "spark.sql.session.timeZone=UTC (CloudTrail times are UTC)")
            }
            let function: SQLExpr.Function
            switch part {
            case .minute: function = .minute
            case .hour: function = .hour
            case .day: function = .day
            case .week: function = .isoWeek
            case .month: function = .month
            case .year: function = .year
            }
            return .compare(Self.comparison(op), .call(function, .call(.parseTimestamp, text)), .integer(Int64(value)))
        case .anyOf(let alternatives):
            var terms: [SQLExpr] = []
            for alternative in alternatives {
                if Self.isPresenceTest(alternative) {
                    throw error("expansion with a null or exists test", "not expected inside an expansion group",
                                at: item.location)
                }
                terms.append(try predicate(alternative, on: text, mayBeObject: mayBeObject, item: item))
            }
            return .or(terms)
        case .null, .exists:
            throw error("null/exists test", "not expected among value tests", at: item.location)
        }
    }

    /// A JSON-grammar number (the engine's numeric parse refuses spaces, `+`, hex, `inf`, `nan`).
    static let jsonNumber = RegexPattern(pattern: "^-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$")

    static func comparison(_ op: ComparisonOperator) -> SQLExpr.Comparison {
        switch op {
        case .equal: return .equal
        case .greater: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        }
    }

    /// A string pattern: `IS NOT NULL` for `*`, `=` for a literal, `LIKE` otherwise; both sides lower-cased unless
    /// `cased` (ST-05, ST-06).
    private mutating func like(_ operand: SQLExpr, _ pattern: LikePattern, caseSensitive: Bool) -> SQLExpr {
        if pattern.matchesEverything { return .isNotNull(operand) }
        var pattern = pattern
        var operand = operand
        if !caseSensitive {
            operand = .lower(operand)
            if !pattern.isASCII {
                warn("non-ASCII letters are compared with the engine's lower() on the event side and Unicode "
                    + "lower-casing on the rule side; both differ from Sigma's case folding for a few letters "
                    + "(ß, ſ, ς)")
            }
            pattern = pattern.mapLiterals { $0.lowercased() }
        }
        if let literal = pattern.literalValue { return .compare(.equal, operand, .string(literal)) }
        return .like(operand, pattern)
    }

    /// True when matching `pattern` against JSON text could differ between escaped and unescaped text (D1): a
    /// literal holding `"`, `\`, `/` or a control character, a `?` wildcard, or a literal after `*` starting with
    /// a letter of an escape (`n t r b f`). Otherwise escapes cannot create or hide a match and the text is
    /// compared as stored.
    static func needsUnescape(_ pattern: LikePattern) -> Bool {
        var afterStar = false
        for part in pattern.parts {
            switch part {
            case .anyCharacter: return true
            case .anyString: afterStar = true
            case .literal(let text):
                if text.unicodeScalars.contains(where: { $0 == "\"" || $0 == "\\" || $0 == "/" || $0.value < 0x20 }) {
                    return true
                }
                if afterStar, let first = text.lowercased().first, "ntrbf".contains(first) { return true }
                afterStar = false
            }
        }
        return false
    }

    /// True when the test could give another result on an object's escaped JSON text than on its D1 text.
    static func needsUnescape(_ test: ValueTest) -> Bool {
        switch test {
        case .pattern(let value, _):
            return needsUnescape(LikePattern(value.parts.map { part in
                switch part {
                case .literal(let text): return .literal(text)
                case .wildcardMulti, .placeholder: return .anyString
                case .wildcardSingle: return .anyCharacter
                }
            }))
        case .regex, .fieldRef: return true
        case .anyOf(let tests): return tests.contains(where: needsUnescape)
        case .number, .bool, .null, .exists, .cidr, .compare, .timePart: return false
        }
    }

    /// `|fieldref`: the value compared with every value of another field (case-insensitive unless cased).
    private mutating func fieldReference(
        _ text: SQLExpr, other: String, mode: FieldRefMode, caseSensitive: Bool, item: DetectionItem
    ) throws(ConversionError) -> SQLExpr {
        func compare(_ a: SQLExpr, _ b: SQLExpr) -> SQLExpr {
            let lhs = caseSensitive ? a : SQLExpr.lower(a)
            let rhs = caseSensitive ? b : SQLExpr.lower(b)
            switch mode {
            case .equals: return .compare(.equal, lhs, rhs)
            case .contains: return .call(.contains, lhs, rhs)
            case .startswith: return .call(.startsWith, lhs, rhs)
            case .endswith: return .call(.endsWith, lhs, rhs)
            }
        }
        switch layout.resolve(other) {
        case .scalar(let expr, _):
            return compare(text, expr)
        case .objectText(let expr):
            return compare(text, .unescapeJSON(expr))
        case .json(let source, let path):
            let variable = freshVariable()
            return .anyMatch(.jsonValues(source, path, unescapeObjects: true), variable: variable,
                             compare(text, .variable(variable)))
        case .structArray(let column, let name):
            let variable = freshVariable()
            return .anyMatch(column, variable: variable, compare(text, .field(.variable(variable), name)))
        case .structObject:
            throw error("|fieldref to '\(other)'", "it is a struct column without JSON text in this layout",
                        at: item.location)
        case .absent(let reason):
            warn("\(reason); the field is always missing there")
            return .false
        case .unsupported(let reason):
            throw error("|fieldref to '\(other)'", reason, at: item.location)
        }
    }
}
