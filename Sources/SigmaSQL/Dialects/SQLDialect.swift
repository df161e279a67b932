/// What differs between SQL engines: tokens (identifier quoting, string literals, the `LIKE` escape), function
/// names and the JSON primitives. ``SQLRenderer`` walks an ``SQLExpr`` and asks the dialect for each piece, so
/// every dialect quotes identifiers in ``quoteIdentifier(_:)`` and writes text in ``stringLiteral(_:)`` only.
public protocol SQLDialect: Sendable {
    /// A short name (`trino`, `spark`, `duckdb`).
    var name: String { get }

    /// The identifier, quoted when it is not a plain identifier (the only place identifiers are quoted).
    func quoteIdentifier(_ identifier: String) -> String
    /// The text as a string literal (the only place text is quoted and escaped).
    func stringLiteral(_ text: String) -> String

    /// `lower`, `TRY_CAST`, ... applied to rendered arguments.
    func function(_ function: SQLExpr.Function, _ arguments: [String]) -> String
    /// An unanchored regular-expression test of a rendered operand.
    func regexMatch(_ operand: String, _ pattern: RegexPattern) -> String
    /// A lambda `variable -> body` in the dialect's syntax.
    func lambda(_ variable: String, _ body: String) -> String
    /// True when an element of the collection satisfies the lambda.
    func anyMatch(_ collection: String, _ lambda: String) -> String
    /// The elements of the collection that satisfy the lambda.
    func filter(_ collection: String, _ lambda: String) -> String
    /// An array literal of rendered elements.
    func arrayLiteral(_ elements: [String]) -> String

    /// The scalar text at a path of a JSON text, without fan-out (NULL for a missing path or a JSON null).
    func jsonScalar(_ source: String, _ path: JSONPath) -> String
    /// Every value at a path, arrays fanned out, as a collection of texts (objects as JSON text, with the string
    /// escapes resolved when `unescapeObjects`).
    func jsonValues(_ source: String, _ path: JSONPath, unescapeObjects: Bool) -> String
    /// True when the path holds a non-null value (arrays and objects count, even empty ones).
    func jsonHasValue(_ source: String, _ path: JSONPath) -> String
    /// True when the path exists (a JSON null counts).
    func jsonHasKey(_ source: String, _ path: JSONPath) -> String
    /// Every leaf value (string, number, boolean) of a JSON record, as a collection of texts. Only dialects whose
    /// layout can enumerate a record's values implement it (the converter refuses keywords elsewhere).
    func keywordValues(_ source: String) -> String
    /// `element_at(map, key)`.
    func mapValue(_ map: String, _ key: String) -> String
    /// A timestamp column written as CloudTrail writes times (`2024-05-01T23:10:00Z`).
    func isoTimestampText(_ column: String) -> String
    /// A window aggregate with a `RANGE` frame of `seconds` preceding the numeric order key.
    func window(_ kind: SQLWindowAggregate.Kind, argument: String?, partitionBy: [String], orderBy: String,
                precedingSeconds: Int) -> String
}

extension SQLDialect {
    /// The `LIKE` escape character every dialect here uses, written out in an explicit `ESCAPE` clause.
    public var likeEscape: Character { "\\" }

    /// The pattern as a `LIKE` operand: literal parts with `%`, `_` and the escape character escaped.
    public func likePatternText(_ pattern: LikePattern) -> String {
        var text = ""
        for part in pattern.parts {
            switch part {
            case .anyString: text += "%"
            case .anyCharacter: text += "_"
            case .literal(let literal):
                for character in literal {
                    if character == "%" || character == "_" || character == likeEscape { text.append(likeEscape) }
                    text.append(character)
                }
            }
        }
        return text
    }

    /// `operand LIKE 'pattern' ESCAPE '\'`.
    public func like(_ operand: String, _ pattern: LikePattern) -> String {
        "\(operand) LIKE \(stringLiteral(likePatternText(pattern))) ESCAPE \(stringLiteral(String(likeEscape)))"
    }

    /// JSON text with the string escapes `\\ \" \/ \n \t \r \b \f` resolved (decision D1 compares objects as
    /// their text with strings unescaped). A backslash pair is first parked on U+0001, a character valid JSON text
    /// never holds raw, so `\\"` is read as an escaped backslash followed by a quote.
    public func unescapeJSON(_ text: String) -> String {
        let sentinel = function(.chr, ["1"])
        var out = "replace(\(text), \(stringLiteral("\\\\")), \(sentinel))"
        let escapes: [(String, String)] = [
            ("\\\"", stringLiteral("\"")), ("\\/", stringLiteral("/")), ("\\n", function(.chr, ["10"])),
            ("\\t", function(.chr, ["9"])), ("\\r", function(.chr, ["13"])), ("\\b", function(.chr, ["8"])),
            ("\\f", function(.chr, ["12"])),
        ]
        for (escape, replacement) in escapes {
            out = "replace(\(out), \(stringLiteral(escape)), \(replacement))"
        }
        return "replace(\(out), \(sentinel), \(stringLiteral("\\")))"
    }

    /// True for a plain identifier that needs no quotes: ASCII letters, digits and `_`, not starting with a
    /// digit, and not a reserved word.
    func isPlainIdentifier(_ identifier: String) -> Bool {
        guard JSONPath.isPlainKey(identifier) else { return false }
        return !reservedWords.contains(identifier.lowercased())
    }
}

/// Words reserved in at least one target engine (kept small: only those a CloudTrail column or alias could hit).
let reservedWords: Set<String> = [
    "all", "and", "array", "as", "between", "by", "case", "cast", "create", "cross", "cube", "current", "date",
    "delete", "describe", "distinct", "drop", "else", "end", "escape", "except", "exists", "extract", "false",
    "for", "from", "full", "group", "grouping", "having", "in", "inner", "insert", "intersect", "interval",
    "into", "is", "join", "lateral", "left", "like", "limit", "map", "natural", "not", "null", "of", "on", "or",
    "order", "outer", "range", "right", "rollup", "row", "rows", "select", "table", "then", "time",
    "timestamp", "to", "true", "union", "unnest", "user", "using", "values", "when", "where", "window", "with",
]

extension String {
    /// The text with every `character` written twice (the SQL way of escaping a quote inside quotes).
    func doubling(_ character: Character) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for c in self {
            out.append(c)
            if c == character { out.append(c) }
        }
        return out
    }
}
