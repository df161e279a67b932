/// The engines and table layouts `trailwatch convert` writes queries for.
public enum SQLTarget: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Amazon Athena (Trino) over the table AWS documents for CloudTrail logs: lower-case columns, `useridentity`
    /// a struct, `requestparameters` / `responseelements` / `additionaleventdata` JSON text.
    case athena
    /// CloudTrail Lake (Trino) over an event data store: `requestParameters` and the like are `map<string,string>`.
    case cloudTrailLake = "cloudtrail-lake"
    /// Spark SQL over the records of delivery files read with `spark.read.json`, one raw JSON text per record.
    case spark
    /// DuckDB over delivery files read with `read_json`, one JSON value per record.
    case duckdb

    public var description: String { rawValue }

    /// The SQL dialect the target speaks.
    public var dialect: any SQLDialect {
        switch self {
        case .athena, .cloudTrailLake: return TrinoDialect()
        case .spark: return SparkDialect()
        case .duckdb: return DuckDBDialect()
        }
    }

    /// The table (or view) queried when none is given.
    public var defaultTable: String? {
        switch self {
        case .athena: return "cloudtrail_logs"
        case .cloudTrailLake: return nil
        case .spark, .duckdb: return "cloudtrail_events"
        }
    }
}

/// Where the converted query reads from.
public struct SQLSourceOptions: Sendable, Hashable {
    /// The table or view name (`db.table` allowed). Nil uses the target's default.
    public var table: String?
    /// DuckDB only: a path or glob of delivery files to read with `read_json` instead of a table.
    public var input: String?

    /// Where to read from.
    public init(table: String? = nil, input: String? = nil) {
        self.table = table
        self.input = input
    }
}

/// How one Sigma field is read in a layout.
enum FieldAccess {
    /// One text value (a typed column or a scalar JSON extraction). `hasKey` tells a present JSON null from a
    /// missing key when the layout can (nil: only `IS NOT NULL` is available).
    case scalar(SQLExpr, hasKey: SQLExpr?)
    /// A JSON text column holding the whole object, compared as its D1 text.
    case objectText(SQLExpr)
    /// Every value at a path of a JSON text, arrays fanned out.
    case json(source: SQLExpr, path: JSONPath)
    /// A field of every struct of an array column (`resources.ARN` → `resources[*].arn`).
    case structArray(SQLExpr, field: String)
    /// A struct column: only null / exists tests are possible.
    case structObject(SQLExpr)
    /// The layout has no place for the field, so the field is always missing there (every value test is false).
    case absent(reason: String)
    /// The field exists but cannot be compared faithfully in this layout.
    case unsupported(String)
}

/// A target's table layout: where each Sigma field lives and what the `FROM` clause reads.
struct TableLayout: Sendable {
    let target: SQLTarget
    let options: SQLSourceOptions

    var dialect: any SQLDialect { target.dialect }

    /// The record column of the JSON layouts.
    static let eventColumn = SQLExpr.column("event")

    /// The `FROM` source.
    var source: SQLSource {
        if target == .duckdb, let input = options.input { return .duckDBDeliveryFiles(input) }
        let name = options.table ?? target.defaultTable ?? "cloudtrail_events"
        return .table(name.split(separator: ".").map(String.init))
    }

    /// Reads a Sigma field (EV-01 spelling, case-sensitive).
    func resolve(_ field: String) -> FieldAccess {
        let components = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch target {
        case .duckdb, .spark:
            let path = JSONPath(components)
            if CloudTrailSchema.scalars.contains(field) {
                return .scalar(.jsonScalar(Self.eventColumn, path), hasKey: .jsonHasKey(Self.eventColumn, path))
            }
            return .json(source: Self.eventColumn, path: path)
        case .athena:
            return resolveAthena(field, components)
        case .cloudTrailLake:
            return resolveLake(field, components)
        }
    }

    private func resolveAthena(_ field: String, _ components: [String]) -> FieldAccess {
        let column = SQLExpr.column(path: components.map { $0.lowercased() })
        if CloudTrailSchema.scalars.contains(field) { return .scalar(column, hasKey: nil) }
        if CloudTrailSchema.structObjects.contains(field) { return .structObject(column) }
        if CloudTrailSchema.jsonTextObjects.contains(field) { return .objectText(column) }
        if let first = components.first, CloudTrailSchema.jsonTextObjects.contains(first) {
            return .json(source: .column(first.lowercased()), path: JSONPath(Array(components.dropFirst())))
        }
        if components.count == 2, components[0] == "resources",
            let column = CloudTrailSchema.resourcesFields[components[1]]
        {
            return .structArray(.column("resources"), field: column)
        }
        if field == "resources" {
            return .unsupported("the array of structs `resources` cannot be compared as JSON text")
        }
        return .absent(reason: "'\(field)' is not a column (or struct field) of the Athena CloudTrail table")
    }

    private func resolveLake(_ field: String, _ components: [String]) -> FieldAccess {
        let column = SQLExpr.column(path: components)
        if field == "eventTime" { return .scalar(.isoTimestampText(.column("eventTime")), hasKey: nil) }
        if field == "readOnly" { return .scalar(.call(.toText, .column("readOnly")), hasKey: nil) }
        if CloudTrailSchema.scalars.contains(field) { return .scalar(column, hasKey: nil) }
        if CloudTrailSchema.structObjects.contains(field) { return .structObject(column) }
        if let first = components.first, CloudTrailSchema.jsonTextObjects.contains(first) {
            if components.count == 1 {
                return .unsupported(
                    "`\(first)` is a map<string,string> in CloudTrail Lake: it has no JSON text to compare (D1)")
            }
            let value = SQLExpr.mapValue(.column(first), components[1])
            if components.count == 2 { return .scalar(value, hasKey: nil) }
            return .json(source: value, path: JSONPath(Array(components.dropFirst(2))))
        }
        if components.count == 2, components[0] == "resources", CloudTrailSchema.resourcesFields[components[1]] != nil {
            return .structArray(.column("resources"), field: components[1])
        }
        if field == "resources" {
            return .unsupported("the array of structs `resources` cannot be compared as JSON text")
        }
        return .absent(reason: "'\(field)' is not a column (or struct field) of a CloudTrail Lake event data store")
    }

    /// Every leaf value of the record, for keyword search (KW-02), when the layout can enumerate them.
    var keywordValues: SQLExpr? {
        target == .duckdb ? SQLExpr(.keywordValues(Self.eventColumn)) : nil
    }

    /// The event time as text, for `ORDER BY` (CloudTrail's ISO text sorts in time order) and the select list.
    var eventTimeText: SQLExpr {
        switch target {
        case .athena: return .column("eventtime")
        case .cloudTrailLake: return .column("eventTime")
        case .duckdb, .spark: return .jsonScalar(Self.eventColumn, JSONPath(["eventTime"]))
        }
    }

    /// The name the event time has in the select list (what `ORDER BY` refers to).
    var eventTimeName: String {
        switch target {
        case .athena: return "eventtime"
        case .cloudTrailLake, .duckdb, .spark: return "eventTime"
        }
    }

    /// The event time as a timestamp (NULL when it does not parse, EV-09).
    var eventTimestamp: SQLExpr {
        if target == .cloudTrailLake { return .column("eventTime") }
        return .call(.parseTimestamp, eventTimeText)
    }

    /// The select-list entry for a field: the column itself where it has a name, else an expression aliased with
    /// the field's CloudTrail spelling. Nil when the layout has no single value for the field.
    func selectItem(_ field: String) -> SQLSelect.Item? {
        switch resolve(field) {
        case .scalar(let expr, _), .objectText(let expr):
            if case .column = expr.node { return SQLSelect.Item(expr) }
            return SQLSelect.Item(expr, alias: field)
        case .json(let source, let path):
            return SQLSelect.Item(.jsonScalar(source, path), alias: field)
        case .structArray, .structObject, .absent, .unsupported:
            return nil
        }
    }
}
