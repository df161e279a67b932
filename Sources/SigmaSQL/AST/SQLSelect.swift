/// A `SELECT` statement: optional common table expressions, the select list, one source, a condition and an
/// order. Rendered by ``SQLRenderer``.
public struct SQLSelect: Sendable, Hashable {
    /// One entry of the select list.
    public struct Item: Sendable, Hashable {
        public var expression: SQLExpr
        /// The output name, when the expression is not a plain column (quoted by the dialect if needed).
        public var alias: String?
        public init(_ expression: SQLExpr, alias: String? = nil) {
            self.expression = expression
            self.alias = alias
        }
    }

    /// A named subquery of the `WITH` clause.
    public struct CommonTable: Sendable, Hashable {
        public var name: String
        public var query: SQLSelect
        public init(name: String, query: SQLSelect) {
            self.name = name
            self.query = query
        }
    }

    /// One `ORDER BY` key.
    public struct Order: Sendable, Hashable {
        public var expression: SQLExpr
        public var descending: Bool
        public init(_ expression: SQLExpr, descending: Bool) {
            self.expression = expression
            self.descending = descending
        }
    }

    public var with: [CommonTable] = []
    /// The select list; empty means `*`.
    public var items: [Item]
    public var from: SQLSource
    public var condition: SQLExpr?
    public var orderBy: [Order] = []

    public init(items: [Item], from: SQLSource, condition: SQLExpr? = nil, orderBy: [Order] = []) {
        self.items = items
        self.from = from
        self.condition = condition
        self.orderBy = orderBy
    }
}

/// Where rows come from.
public indirect enum SQLSource: Sendable, Hashable {
    /// A table or view, possibly qualified (`db.cloudtrail_logs`); each part quoted by the dialect if needed.
    case table([String])
    /// CloudTrail delivery files (`{"Records":[…]}`, gzip or not) read with DuckDB's `read_json`, one row per
    /// record in a JSON column `event`.
    case duckDBDeliveryFiles(String)
    /// A derived table.
    case subquery(SQLSelect, alias: String)
}
