/// Trino, as run by Amazon Athena (engine version 3) and CloudTrail Lake.
///
/// - Identifiers: `"name"`, doubled `"` inside. String literals: `'text'`, doubled `'` inside; a backslash is an
///   ordinary character.
/// - JSON paths of a JSON text: `json_extract_scalar` for a scalar, and SQL/JSON `json_query` in `lax` mode for
///   fan-out (lax mode applies a member accessor to every element of an array it meets; `[*]` at the end spreads
///   an array of values and keeps a single value as is).
/// - Regex: `regexp_like` (Java/joni syntax; flags inline).
public struct TrinoDialect: SQLDialect {
    public init() {}

    public var name: String { "trino" }

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
        case .tryDouble: return "TRY_CAST(\(a[0]) AS double)"
        case .contains: return "strpos(\(a[0]), \(a[1])) > 0"
        case .startsWith: return "starts_with(\(a[0]), \(a[1]))"
        case .endsWith: return "starts_with(reverse(\(a[0])), reverse(\(a[1])))"
        case .parseTimestamp: return "try(from_iso8601_timestamp(\(a[0])))"
        case .epochSeconds: return "to_unixtime(\(a[0]))"
        case .coalesce: return "COALESCE(\(a.joined(separator: ", ")))"
        case .minute: return "minute(\(a[0]) AT TIME ZONE 'UTC')"
        case .hour: return "hour(\(a[0]) AT TIME ZONE 'UTC')"
        case .day: return "day(\(a[0]) AT TIME ZONE 'UTC')"
        case .isoWeek: return "week(\(a[0]) AT TIME ZONE 'UTC')"
        case .month: return "month(\(a[0]) AT TIME ZONE 'UTC')"
        case .year: return "year(\(a[0]) AT TIME ZONE 'UTC')"
        case .ipv6NetworkContains:
            return "contains(\(a[1]), TRY_CAST(\(a[0]) AS ipaddress))"
        case .cardinality: return "cardinality(\(a[0]))"
        case .chr: return "chr(\(a[0]))"
        case .toText: return "CAST(\(a[0]) AS varchar)"
        }
    }

    public func regexMatch(_ operand: String, _ pattern: RegexPattern) -> String {
        "regexp_like(\(operand), \(stringLiteral(pattern.inlineFlags + pattern.pattern)))"
    }

    public func lambda(_ variable: String, _ body: String) -> String { "\(variable) -> \(body)" }
    public func anyMatch(_ collection: String, _ lambda: String) -> String { "any_match(\(collection), \(lambda))" }
    public func filter(_ collection: String, _ lambda: String) -> String { "filter(\(collection), \(lambda))" }
    public func arrayLiteral(_ elements: [String]) -> String { "ARRAY[\(elements.joined(separator: ", "))]" }

    /// `$.a.b`, with `["key"]` for other keys (the path language of `json_extract_scalar`).
    func legacyPath(_ path: JSONPath) -> String {
        var text = "$"
        for key in path.components {
            text += JSONPath.isPlainKey(key) ? ".\(key)" : "[\"\(key)\"]"
        }
        return text
    }

    /// `lax $.a."b c"` (SQL/JSON path language of `json_query` and `json_exists`).
    func laxPath(_ path: JSONPath, suffix: String = "") -> String {
        var text = "lax $"
        for key in path.components {
            text += JSONPath.isPlainKey(key) ? ".\(key)" : ".\"\(key)\""
        }
        return text + suffix
    }

    public func jsonScalar(_ source: String, _ path: JSONPath) -> String {
        "json_extract_scalar(\(source), \(stringLiteral(legacyPath(path))))"
    }

    public func jsonValues(_ source: String, _ path: JSONPath, unescapeObjects: Bool) -> String {
        // Every item the lax path reaches, wrapped in one JSON array; each element becomes its text: a scalar by
        // CAST (NULL for a JSON null), an object by its JSON text with the string escapes resolved (D1).
        let items = "CAST(json_parse(json_query(\(source), \(stringLiteral(laxPath(path, suffix: "[*]")))"
            + " WITH ARRAY WRAPPER)) AS array(json))"
        let object = unescapeObjects ? unescapeJSON("json_format(x)") : "json_format(x)"
        let text = "IF(is_json_scalar(x), CAST(x AS varchar), \(object))"
        return "transform(\(items), x -> \(text))"
    }

    public func jsonHasValue(_ source: String, _ path: JSONPath) -> String {
        // The lax path without `[*]`: an array at the end is one item, so an empty array counts as a value.
        let items = "CAST(json_parse(json_query(\(source), \(stringLiteral(laxPath(path)))"
            + " WITH ARRAY WRAPPER)) AS array(json))"
        return "COALESCE(any_match(\(items), x -> json_format(x) <> 'null'), FALSE)"
    }

    public func jsonHasKey(_ source: String, _ path: JSONPath) -> String {
        "COALESCE(json_exists(\(source), \(stringLiteral(laxPath(path)))), FALSE)"
    }

    /// Never produced: the converter refuses keyword items for this dialect's layouts.
    public func keywordValues(_ source: String) -> String { "NULL" }

    public func mapValue(_ map: String, _ key: String) -> String {
        "element_at(\(map), \(stringLiteral(key)))"
    }

    public func isoTimestampText(_ column: String) -> String {
        "format_datetime(\(column) AT TIME ZONE 'UTC', \(stringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'")))"
    }

    public func window(_ kind: SQLWindowAggregate.Kind, argument: String?, partitionBy: [String], orderBy: String,
                       precedingSeconds: Int) -> String {
        let over = Self.over(partitionBy: partitionBy, orderBy: orderBy, precedingSeconds: precedingSeconds)
        let arg = argument ?? ""
        switch kind {
        case .count: return "count(*) \(over)"
        case .countDistinct:
            // Trino has no DISTINCT in window aggregates: collect, de-duplicate, drop NULLs.
            return "cardinality(filter(array_distinct(array_agg(\(arg)) \(over)), v -> v IS NOT NULL))"
        case .max: return "max(\(arg)) \(over)"
        case .sum: return "sum(\(arg)) \(over)"
        case .avg: return "avg(\(arg)) \(over)"
        }
    }

    static func over(partitionBy: [String], orderBy: String, precedingSeconds: Int) -> String {
        let partition = partitionBy.isEmpty ? "" : "PARTITION BY \(partitionBy.joined(separator: ", ")) "
        return "OVER (\(partition)ORDER BY \(orderBy) RANGE BETWEEN \(precedingSeconds) PRECEDING AND CURRENT ROW)"
    }
}
