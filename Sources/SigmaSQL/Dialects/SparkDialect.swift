/// Spark SQL (4.0 or later: the fan-out over JSON paths uses the `VARIANT` functions).
///
/// - Identifiers: `` `name` ``, doubled `` ` `` inside. String literals: `'text'` with backslash escapes, as
///   Spark's parser reads them by default (`spark.sql.parser.escapedStringLiterals=false`): `\` is written `\\`
///   and `'` is written `\'` (two adjacent literals `'a''b'` would be concatenated by Spark, not an escape).
/// - JSON: `get_json_object` for a scalar; `parse_json` / `variant_get` to walk a path that may cross arrays.
/// - Regex: `regexp_like` (Java syntax; flags inline).
public struct SparkDialect: SQLDialect {
    public init() {}

    public var name: String { "spark" }

    public func quoteIdentifier(_ identifier: String) -> String {
        if isPlainIdentifier(identifier) { return identifier }
        return "`" + identifier.doubling("`") + "`"
    }

    public func stringLiteral(_ text: String) -> String {
        var out = "'"
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            default: out.append(character)
            }
        }
        return out + "'"
    }

    public func function(_ function: SQLExpr.Function, _ a: [String]) -> String {
        switch function {
        case .lower: return "lower(\(a[0]))"
        case .tryDouble: return "try_cast(\(a[0]) AS DOUBLE)"
        case .contains: return "instr(\(a[0]), \(a[1])) > 0"
        case .startsWith: return "startswith(\(a[0]), \(a[1]))"
        case .endsWith: return "endswith(\(a[0]), \(a[1]))"
        case .parseTimestamp: return "try_to_timestamp(\(a[0]))"
        case .epochSeconds: return "unix_micros(\(a[0])) / 1000000.0"
        case .coalesce: return "COALESCE(\(a.joined(separator: ", ")))"
        case .minute: return "minute(\(a[0]))"
        case .hour: return "hour(\(a[0]))"
        case .day: return "dayofmonth(\(a[0]))"
        case .isoWeek: return "weekofyear(\(a[0]))"
        case .month: return "month(\(a[0]))"
        case .year: return "year(\(a[0]))"
        case .ipv6NetworkContains: return "FALSE"  // never produced: the converter refuses IPv6 cidr on Spark
        case .cardinality: return "size(\(a[0]))"
        case .chr: return "chr(\(a[0]))"
        case .toText: return "CAST(\(a[0]) AS STRING)"
        }
    }

    public func regexMatch(_ operand: String, _ pattern: RegexPattern) -> String {
        "regexp_like(\(operand), \(stringLiteral(pattern.inlineFlags + pattern.pattern)))"
    }

    public func lambda(_ variable: String, _ body: String) -> String { "\(variable) -> \(body)" }
    public func anyMatch(_ collection: String, _ lambda: String) -> String { "exists(\(collection), \(lambda))" }
    public func filter(_ collection: String, _ lambda: String) -> String { "filter(\(collection), \(lambda))" }
    public func arrayLiteral(_ elements: [String]) -> String { "array(\(elements.joined(separator: ", ")))" }

    /// `$.a.b`, with `['key']` for other keys.
    func path(_ components: [String]) -> String {
        var text = "$"
        for key in components {
            text += JSONPath.isPlainKey(key) ? ".\(key)" : "['\(key)']"
        }
        return text
    }

    public func jsonScalar(_ source: String, _ path: JSONPath) -> String {
        "get_json_object(\(source), \(stringLiteral(self.path(path.components))))"
    }

    /// The variants at each step of the path, arrays spread: a collection of `VARIANT`.
    /// `spreadLast` false keeps an array at the end as one node (for presence tests).
    func nodes(_ source: String, _ path: JSONPath, spreadLast: Bool) -> String {
        func spread(_ value: String) -> String {
            "COALESCE(try_variant_get(\(value), '$', 'array<variant>'), array(\(value)))"
        }
        var collection = ""
        for (index, key) in path.components.enumerated() {
            let isLast = index == path.components.count - 1
            let wrap: (String) -> String = isLast && !spreadLast ? { "array(\($0))" } : spread
            if index == 0 {
                collection = wrap("variant_get(parse_json(\(source)), \(stringLiteral(self.path([key]))))")
            } else {
                let step = wrap("variant_get(n, \(stringLiteral(self.path([key]))))")
                collection = "flatten(transform(\(collection), n -> \(step)))"
            }
        }
        return collection
    }

    public func jsonValues(_ source: String, _ path: JSONPath, unescapeObjects: Bool) -> String {
        let object = unescapeObjects ? unescapeJSON("to_json(n)") : "to_json(n)"
        let text = "CASE WHEN schema_of_variant(n) LIKE 'OBJECT%' THEN \(object) "
            + "ELSE variant_get(n, '$', 'string') END"
        return "transform(\(nodes(source, path, spreadLast: true)), n -> \(text))"
    }

    public func jsonHasValue(_ source: String, _ path: JSONPath) -> String {
        let nodes = nodes(source, path, spreadLast: false)
        return "COALESCE(exists(\(nodes), n -> n IS NOT NULL AND NOT is_variant_null(n)), FALSE)"
    }

    public func jsonHasKey(_ source: String, _ path: JSONPath) -> String {
        "COALESCE(exists(\(nodes(source, path, spreadLast: false)), n -> n IS NOT NULL), FALSE)"
    }

    /// Never produced: the converter refuses keyword items for this dialect's layouts.
    public func keywordValues(_ source: String) -> String { "NULL" }

    public func mapValue(_ map: String, _ key: String) -> String {
        "element_at(\(map), \(stringLiteral(key)))"
    }

    public func isoTimestampText(_ column: String) -> String {
        "date_format(\(column), \(stringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'")))"
    }

    public func window(_ kind: SQLWindowAggregate.Kind, argument: String?, partitionBy: [String], orderBy: String,
                       precedingSeconds: Int) -> String {
        let over = TrinoDialect.over(partitionBy: partitionBy, orderBy: orderBy, precedingSeconds: precedingSeconds)
        let arg = argument ?? ""
        switch kind {
        case .count: return "count(*) \(over)"
        case .countDistinct: return "size(collect_set(\(arg)) \(over))"
        case .max: return "max(\(arg)) \(over)"
        case .sum: return "sum(\(arg)) \(over)"
        case .avg: return "avg(\(arg)) \(over)"
        }
    }
}
