/// DuckDB (1.3 or later: lambdas are written `lambda x: ...`).
///
/// - Identifiers: `"name"`, doubled `"` inside. String literals: `'text'`, doubled `'` inside; a backslash is an
///   ordinary character.
/// - JSON: `->>` for a scalar; `json_tree` for a path that may cross arrays: every node whose path, with its
///   array indexes removed, equals the wanted path is a value of the field (EV-02 at any depth).
/// - Regex: `regexp_matches` (RE2 syntax, like Sigma's; flags inline).
public struct DuckDBDialect: SQLDialect {
    public init() {}

    public var name: String { "duckdb" }

    public func quoteIdentifier(_ identifier: String) -> String {
        if isPlainIdentifier(identifier) { return identifier }
        return "\"" + identifier.doubling("\"") + "\""
    }

    public func stringLiteral(_ text: String) -> String {
        "'" + text.doubling("'") + "'"
    }

    public func function(_ function: SQLExpr.Function, _ a: [String]) -> String {
        switch function {
        case .lower: return "lower(\(a[0]))"
        case .tryDouble: return "TRY_CAST(\(a[0]) AS DOUBLE)"
        case .contains: return "strpos(\(a[0]), \(a[1])) > 0"
        case .startsWith: return "starts_with(\(a[0]), \(a[1]))"
        case .endsWith: return "ends_with(\(a[0]), \(a[1]))"
        case .parseTimestamp: return "TRY_CAST(\(a[0]) AS TIMESTAMPTZ)"
        case .epochSeconds: return "epoch(\(a[0]))"
        case .coalesce: return "COALESCE(\(a.joined(separator: ", ")))"
        case .minute: return "minute(timezone('UTC', \(a[0])))"
        case .hour: return "hour(timezone('UTC', \(a[0])))"
        case .day: return "day(timezone('UTC', \(a[0])))"
        case .isoWeek: return "weekofyear(timezone('UTC', \(a[0])))"
        case .month: return "month(timezone('UTC', \(a[0])))"
        case .year: return "year(timezone('UTC', \(a[0])))"
        case .ipv6NetworkContains: return "FALSE"  // never produced: the converter refuses IPv6 cidr on DuckDB
        case .cardinality: return "len(\(a[0]))"
        case .chr: return "chr(\(a[0]))"
        case .toText: return "CAST(\(a[0]) AS VARCHAR)"
        }
    }

    public func regexMatch(_ operand: String, _ pattern: RegexPattern) -> String {
        "regexp_matches(\(operand), \(stringLiteral(pattern.inlineFlags + pattern.pattern)))"
    }

    public func lambda(_ variable: String, _ body: String) -> String { "lambda \(variable): \(body)" }
    public func anyMatch(_ collection: String, _ lambda: String) -> String {
        "len(list_filter(\(collection), \(lambda))) > 0"
    }
    public func filter(_ collection: String, _ lambda: String) -> String { "list_filter(\(collection), \(lambda))" }
    public func arrayLiteral(_ elements: [String]) -> String { "[\(elements.joined(separator: ", "))]" }

    /// `$.a."b c"`: DuckDB writes a key without quotes only when it starts with an ASCII letter and holds
    /// letters, digits and `_` (the same rule as `json_tree`'s `fullkey`, which the fan-out compares with).
    func path(_ components: [String]) -> String {
        var text = "$"
        for key in components {
            let plain = key.unicodeScalars.first?.isASCIILetter == true
                && key.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" }
            text += plain ? ".\(key)" : ".\"\(key)\""
        }
        return text
    }

    public func jsonScalar(_ source: String, _ path: JSONPath) -> String {
        "\(source) ->> \(stringLiteral(self.path(path.components)))"
    }

    /// The `json_tree` nodes at the path (array elements included, their indexes removed from the path).
    func treeNodes(_ source: String, _ path: JSONPath, select: String, extra: String) -> String {
        let root = stringLiteral(self.path(Array(path.components.prefix(1))))
        let full = stringLiteral(self.path(path.components))
        let indexes = stringLiteral("\\[[0-9]+\\]")
        return "SELECT \(select) FROM json_tree(\(source), \(root)) AS t "
            + "WHERE regexp_replace(t.fullkey, \(indexes), '', 'g') = \(full)\(extra)"
    }

    public func jsonValues(_ source: String, _ path: JSONPath, unescapeObjects: Bool) -> String {
        let object = unescapeObjects ? unescapeJSON("CAST(t.value AS VARCHAR)") : "CAST(t.value AS VARCHAR)"
        let text = "CASE WHEN t.type = 'OBJECT' THEN \(object) "
            + "ELSE t.value ->> '$' END"
        return "(" + treeNodes(source, path, select: "list(\(text))", extra: " AND t.type NOT IN ('ARRAY', 'NULL')")
            + ")"
    }

    public func jsonHasValue(_ source: String, _ path: JSONPath) -> String {
        "EXISTS (" + treeNodes(source, path, select: "1", extra: " AND t.type <> 'NULL'") + ")"
    }

    public func jsonHasKey(_ source: String, _ path: JSONPath) -> String {
        "EXISTS (" + treeNodes(source, path, select: "1", extra: "") + ")"
    }

    public func keywordValues(_ source: String) -> String {
        "(SELECT list(t.value ->> '$') FROM json_tree(\(source)) AS t WHERE t.type NOT IN ('OBJECT', 'ARRAY', 'NULL'))"
    }

    public func mapValue(_ map: String, _ key: String) -> String {
        "\(map)[\(stringLiteral(key))]"
    }

    public func isoTimestampText(_ column: String) -> String {
        "strftime(timezone('UTC', \(column)), '%Y-%m-%dT%H:%M:%SZ')"
    }

    public func window(_ kind: SQLWindowAggregate.Kind, argument: String?, partitionBy: [String], orderBy: String,
                       precedingSeconds: Int) -> String {
        let over = TrinoDialect.over(partitionBy: partitionBy, orderBy: orderBy, precedingSeconds: precedingSeconds)
        let arg = argument ?? ""
        switch kind {
        case .count: return "count(*) \(over)"
        case .countDistinct: return "count(DISTINCT \(arg)) \(over)"
        case .max: return "max(\(arg)) \(over)"
        case .sum: return "sum(\(arg)) \(over)"
        case .avg: return "avg(\(arg)) \(over)"
        }
    }
}
