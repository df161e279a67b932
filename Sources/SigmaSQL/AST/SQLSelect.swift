/// A `SELECT` statement: optional common table expressions, the select list, one source, a condition and an
/// order. Rendered by ``SQLRenderer``.
public struct SQLSelect: Sendable, Hashable {
    /// One entry of the select list.
    public struct Item: Sendable, Hashable {
        /// The value selected.
        public var expression: SQLExpr
        /// The output name, when the expression is not a plain column (quoted by the dialect if needed).
        public var alias: String?
        /// `expression AS alias`.
        public init(_ expression: SQLExpr, alias: String? = nil) {
            self.expression = expression
            self.alias = alias
        }
    }

    /// A named subquery of the `WITH` clause.
    public struct CommonTable: Sendable, Hashable {
        /// The name the rest of the statement uses.
        public var name: String
        /// The subquery.
        public var query: SQLSelect
        /// `name AS (query)`.
        public init(name: String, query: SQLSelect) {
            self.name = name
            self.query = query
        }
    }

    /// One `ORDER BY` key.
    public struct Order: Sendable, Hashable {
        /// The sort key.
        public var expression: SQLExpr
        /// `DESC` when true.
        public var descending: Bool
        /// A sort key and its direction.
        public init(_ expression: SQLExpr, descending: Bool) {
            self.expression = expression
            self.descending = descending
        }
    }

    /// The `WITH` clause.
    public var with: [CommonTable] = []
    /// The select list; empty means `*`.
    public var items: [Item]
    /// The `FROM` source.
    public var from: SQLSource
    /// The `WHERE` condition.
    public var condition: SQLExpr?
    /// The `ORDER BY` keys.
    public var orderBy: [Order] = []

    /// A statement without common table expressions.
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
