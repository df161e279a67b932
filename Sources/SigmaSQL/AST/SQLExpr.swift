/// A typed SQL expression: values keep their type (text, number, LIKE pattern, JSON path) until a
/// ``SQLDialect`` renders them, so quoting and escaping happen in exactly one place per dialect.
///
/// The tree is dialect-neutral: a node such as ``jsonValues(_:_:)`` says *what* is meant ("every value at this
/// path, arrays fanned out") and each dialect decides *how* to write it. Build expressions with the static
/// functions; combine them with ``and(_:)``, ``or(_:)`` and ``not(_:)``, which fold constants and flatten.
public struct SQLExpr: Sendable, Hashable {
    let node: Node

    init(_ node: Node) { self.node = node }

    /// Comparison operators.
    public enum Comparison: String, Sendable, Hashable {
        case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    /// Dialect-neutral scalar functions; each dialect names them.
    public enum Function: String, Sendable, Hashable {
        /// Lower-case text (`lower`).
        case lower
        /// The value as a double, or NULL when it does not convert (`TRY_CAST(x AS DOUBLE)`).
        case tryDouble
        /// True when the first text contains the second (`strpos(a, b) > 0`).
        case contains
        /// True when the first text starts with the second.
        case startsWith
        /// True when the first text ends with the second.
        case endsWith
        /// The event time as a timestamp (for correlations and time parts).
        case parseTimestamp
        /// Seconds since the epoch (double) of a timestamp.
        case epochSeconds
        /// `COALESCE(a, b, ...)`.
        case coalesce
        /// Minute, hour, day of month, ISO week, month, year of a timestamp, in UTC.
        case minute, hour, day, isoWeek, month, year
        /// True when the text is an IPv6 address inside the network given as text (Trino's `contains`).
        case ipv6NetworkContains
        /// Number of elements of an array.
        case cardinality
        /// The character with this code point (`chr(1)`).
        case chr
        /// The value as text (`CAST(x AS varchar)`), for typed columns such as CloudTrail Lake's booleans.
        case toText
    }

    indirect enum Node: Sendable, Hashable {
        /// A column or a field of a struct column: identifiers, each quoted by the dialect when needed.
        case column([String])
        /// A lambda variable or a column of a derived table, written as is (names are generated, safe).
        case variable(String)
        case string(String)
        case integer(Int64)
        case double(Double)
        case bool(Bool)
        case null
        case not(SQLExpr)
        case and([SQLExpr])
        case or([SQLExpr])
        case isNull(SQLExpr, negated: Bool)
        case compare(Comparison, SQLExpr, SQLExpr)
        case inList(SQLExpr, [SQLExpr])
        case like(SQLExpr, LikePattern)
        case regex(SQLExpr, RegexPattern)
        case function(Function, [SQLExpr])
        /// The scalar text at a JSON path of a JSON text (no array fan-out): strings unquoted, numbers and
        /// booleans as text, objects and arrays as JSON text.
        case jsonScalar(SQLExpr, JSONPath)
        /// Every value at a JSON path, arrays met on the path or at its end fanned out (EV-02, D2): a collection
        /// of texts (strings unquoted, numbers and booleans as text, objects as JSON text, with the string escapes
        /// resolved when `unescapeObjects`, D1); JSON nulls excluded.
        case jsonValues(SQLExpr, JSONPath, unescapeObjects: Bool)
        /// True when the path holds at least one non-null value (an array or object counts, EV-08).
        case jsonHasValue(SQLExpr, JSONPath)
        /// True when the path exists at all (a JSON null counts, D7).
        case jsonHasKey(SQLExpr, JSONPath)
        /// JSON text with the escapes `\\ \" \/ \n \t \r \b \f` resolved (decision D1: strings unescaped).
        case unescapeJSON(SQLExpr)
        /// A text value of a map column (`element_at(map, key)`).
        case mapValue(SQLExpr, String)
        /// A struct field of an expression (`expr.field`), for lambda variables over arrays of structs.
        case field(SQLExpr, String)
        /// True when some element of the collection satisfies the predicate (`any_match`, `exists`, ...).
        case anyMatch(SQLExpr, variable: String, predicate: SQLExpr)
        /// The elements of the collection that satisfy the predicate.
        case filter(SQLExpr, variable: String, predicate: SQLExpr)
        /// An array literal.
        case array([SQLExpr])
        /// `CASE WHEN c THEN v ... ELSE e END`.
        case caseWhen([SQLCaseBranch], otherwise: SQLExpr?)
        /// A text of the timestamp column formatted as CloudTrail writes it (`2024-05-01T23:10:00Z`).
        case isoTimestampText(SQLExpr)
        /// An aggregate over a window (correlations).
        case window(SQLWindowAggregate)
        /// Arithmetic sum of terms.
        case sum([SQLExpr])
        /// Every leaf value (string, number, bool) of a JSON record as a collection of texts (keywords, KW-02).
        case keywordValues(SQLExpr)
    }

    // MARK: Leaves

    /// A column, or a field path into a struct column (`useridentity.sessioncontext.attributes`).
    public static func column(_ path: String...) -> SQLExpr { SQLExpr(.column(path)) }
    /// A column path given as an array of identifiers.
    public static func column(path: [String]) -> SQLExpr { SQLExpr(.column(path)) }
    /// A generated name (lambda variable, derived-table column). Must be a plain identifier.
    static func variable(_ name: String) -> SQLExpr { SQLExpr(.variable(name)) }
    /// A text literal.
    public static func string(_ value: String) -> SQLExpr { SQLExpr(.string(value)) }
    /// An integer literal.
    public static func integer(_ value: Int64) -> SQLExpr { SQLExpr(.integer(value)) }
    /// A double literal.
    public static func double(_ value: Double) -> SQLExpr { SQLExpr(.double(value)) }
    /// `TRUE` / `FALSE`.
    public static func bool(_ value: Bool) -> SQLExpr { SQLExpr(.bool(value)) }
    /// `NULL`.
    public static let null = SQLExpr(.null)
    /// `TRUE`.
    public static let `true` = SQLExpr(.bool(true))
    /// `FALSE`.
    public static let `false` = SQLExpr(.bool(false))

    /// The constant truth value of the expression, when it is one.
    public var constantValue: Bool? {
        if case .bool(let value) = node { return value }
        return nil
    }

    // MARK: Boolean structure (constants folded, nesting flattened)

    /// Conjunction; `TRUE` terms vanish, a `FALSE` term makes the whole `FALSE`, nested ANDs are flattened and
    /// repeated terms kept once.
    public static func and(_ terms: [SQLExpr]) -> SQLExpr {
        var out: [SQLExpr] = []
        for term in terms {
            switch term.node {
            case .bool(true): continue
            case .bool(false): return .false
            case .and(let inner): for t in inner where !out.contains(t) { out.append(t) }
            default: if !out.contains(term) { out.append(term) }
            }
        }
        if out.isEmpty { return .true }
        return out.count == 1 ? out[0] : SQLExpr(.and(out))
    }

    /// Disjunction; `FALSE` terms vanish, a `TRUE` term makes the whole `TRUE`, nested ORs are flattened and
    /// repeated terms kept once.
    public static func or(_ terms: [SQLExpr]) -> SQLExpr {
        var out: [SQLExpr] = []
        for term in terms {
            switch term.node {
            case .bool(false): continue
            case .bool(true): return .true
            case .or(let inner): for t in inner where !out.contains(t) { out.append(t) }
            default: if !out.contains(term) { out.append(term) }
            }
        }
        if out.isEmpty { return .false }
        out = foldEqualities(out)
        return out.count == 1 ? out[0] : SQLExpr(.or(out))
    }

    /// `x = 'a' OR x = 'b' OR x IN ('c')` becomes `x IN ('a', 'b', 'c')`, at the place of the first term.
    private static func foldEqualities(_ terms: [SQLExpr]) -> [SQLExpr] {
        func equality(_ term: SQLExpr) -> (lhs: SQLExpr, values: [SQLExpr])? {
            switch term.node {
            case .compare(.equal, let lhs, let rhs):
                switch rhs.node {
                case .string, .integer, .double: return (lhs, [rhs])
                default: return nil
                }
            case .inList(let lhs, let values): return (lhs, values)
            default: return nil
            }
        }
        var order: [SQLExpr] = []
        var lists: [SQLExpr: [SQLExpr]] = [:]
        var out: [Either] = []
        enum Either { case term(SQLExpr), list(SQLExpr) }
        for term in terms {
            if let (lhs, values) = equality(term) {
                if lists[lhs] == nil {
                    order.append(lhs)
                    out.append(.list(lhs))
                }
                for value in values where !(lists[lhs]?.contains(value) ?? false) {
                    lists[lhs, default: []].append(value)
                }
            } else {
                out.append(.term(term))
            }
        }
        return out.map { entry in
            switch entry {
            case .term(let term): return term
            case .list(let lhs): return .inList(lhs, lists[lhs] ?? [])
            }
        }
    }

    /// Plain SQL `NOT` (three-valued). Prefer ``negatedTwoValued`` for Sigma's `not` (EV-07).
    public static func not(_ inner: SQLExpr) -> SQLExpr {
        switch inner.node {
        case .bool(let value): return .bool(!value)
        case .not(let twice): return twice
        case .isNull(let operand, let negated): return SQLExpr(.isNull(operand, negated: !negated))
        default: return SQLExpr(.not(inner))
        }
    }

    /// Sigma's two-valued negation (EV-07, D6): a NULL operand (missing field) counts as false, so its negation
    /// is true. Expressions that are never NULL (`IS NULL`, constants) need no `COALESCE`.
    public var negatedTwoValued: SQLExpr {
        if isNeverNull { return .not(self) }
        return .not(SQLExpr(.function(.coalesce, [self, .false])))
    }

    /// True when the expression can never evaluate to NULL.
    var isNeverNull: Bool {
        switch node {
        case .bool, .isNull, .jsonHasKey, .jsonHasValue: return true
        case .not(let inner): return inner.isNeverNull
        case .and(let terms), .or(let terms): return terms.allSatisfy(\.isNeverNull)
        case .function(.coalesce, let args): return args.last?.isNeverNull ?? false
        default: return false
        }
    }

    // MARK: Predicates and functions

    /// `expr IS NULL`.
    public static func isNull(_ operand: SQLExpr) -> SQLExpr { SQLExpr(.isNull(operand, negated: false)) }
    /// `expr IS NOT NULL`.
    public static func isNotNull(_ operand: SQLExpr) -> SQLExpr { SQLExpr(.isNull(operand, negated: true)) }
    /// `lhs <op> rhs`.
    public static func compare(_ op: Comparison, _ lhs: SQLExpr, _ rhs: SQLExpr) -> SQLExpr {
        SQLExpr(.compare(op, lhs, rhs))
    }
    /// `lhs IN (values...)`; one value becomes `=`.
    public static func inList(_ lhs: SQLExpr, _ values: [SQLExpr]) -> SQLExpr {
        if values.count == 1 { return .compare(.equal, lhs, values[0]) }
        return SQLExpr(.inList(lhs, values))
    }
    /// `expr LIKE pattern ESCAPE ...`; the dialect escapes the pattern's literal parts.
    public static func like(_ operand: SQLExpr, _ pattern: LikePattern) -> SQLExpr { SQLExpr(.like(operand, pattern)) }
    /// Regular-expression search (unanchored) with flags.
    public static func regex(_ operand: SQLExpr, _ pattern: RegexPattern) -> SQLExpr {
        SQLExpr(.regex(operand, pattern))
    }
    /// A dialect-neutral function call.
    public static func call(_ function: Function, _ arguments: SQLExpr...) -> SQLExpr {
        SQLExpr(.function(function, arguments))
    }
    /// `lower(expr)`; an ASCII text literal is lowered here so the query shows the folded value.
    public static func lower(_ operand: SQLExpr) -> SQLExpr {
        if case .string(let text) = operand.node, text.utf8.allSatisfy({ $0 < 0x80 }) {
            return .string(text.lowercased())
        }
        return SQLExpr(.function(.lower, [operand]))
    }
    /// The scalar text at `path` inside the JSON text `source` (no fan-out).
    public static func jsonScalar(_ source: SQLExpr, _ path: JSONPath) -> SQLExpr {
        SQLExpr(.jsonScalar(source, path))
    }
    /// Every value at `path` inside the JSON text `source`, arrays fanned out, as a collection of texts.
    public static func jsonValues(_ source: SQLExpr, _ path: JSONPath, unescapeObjects: Bool = true) -> SQLExpr {
        SQLExpr(.jsonValues(source, path, unescapeObjects: unescapeObjects))
    }
    /// True when `path` holds a non-null value in `source`.
    public static func jsonHasValue(_ source: SQLExpr, _ path: JSONPath) -> SQLExpr {
        SQLExpr(.jsonHasValue(source, path))
    }
    /// True when `path` exists in `source` (JSON null included).
    public static func jsonHasKey(_ source: SQLExpr, _ path: JSONPath) -> SQLExpr {
        SQLExpr(.jsonHasKey(source, path))
    }
    /// JSON text with string escapes resolved (D1).
    public static func unescapeJSON(_ text: SQLExpr) -> SQLExpr { SQLExpr(.unescapeJSON(text)) }
    /// `element_at(map, key)`.
    public static func mapValue(_ map: SQLExpr, _ key: String) -> SQLExpr { SQLExpr(.mapValue(map, key)) }
    /// `expr.field` for a struct-valued expression.
    public static func field(_ base: SQLExpr, _ name: String) -> SQLExpr { SQLExpr(.field(base, name)) }
    /// True when an element of `collection` satisfies `predicate` (which refers to `variable`).
    static func anyMatch(_ collection: SQLExpr, variable: String, _ predicate: SQLExpr) -> SQLExpr {
        if let constant = predicate.constantValue, !constant { return .false }
        return SQLExpr(.anyMatch(collection, variable: variable, predicate: predicate))
    }
    /// The elements of `collection` that satisfy `predicate`.
    static func filter(_ collection: SQLExpr, variable: String, _ predicate: SQLExpr) -> SQLExpr {
        SQLExpr(.filter(collection, variable: variable, predicate: predicate))
    }
    /// An array literal.
    public static func array(_ elements: [SQLExpr]) -> SQLExpr { SQLExpr(.array(elements)) }
    /// `CASE WHEN ... END`.
    public static func caseWhen(_ branches: [SQLCaseBranch], otherwise: SQLExpr? = nil) -> SQLExpr {
        SQLExpr(.caseWhen(branches, otherwise: otherwise))
    }
    /// The timestamp column as CloudTrail's text (`yyyy-MM-ddTHH:mm:ssZ`).
    static func isoTimestampText(_ column: SQLExpr) -> SQLExpr { SQLExpr(.isoTimestampText(column)) }
    /// A window aggregate.
    static func window(_ aggregate: SQLWindowAggregate) -> SQLExpr { SQLExpr(.window(aggregate)) }
    /// `a + b + ...`.
    static func sum(_ terms: [SQLExpr]) -> SQLExpr { terms.count == 1 ? terms[0] : SQLExpr(.sum(terms)) }
}

/// One `WHEN condition THEN value` of a `CASE`.
public struct SQLCaseBranch: Sendable, Hashable {
    /// The `WHEN` condition.
    public var condition: SQLExpr
    /// The `THEN` value.
    public var value: SQLExpr
    /// `WHEN condition THEN value`.
    public init(_ condition: SQLExpr, _ value: SQLExpr) {
        self.condition = condition
        self.value = value
    }
}

/// An aggregate evaluated over a sliding window of preceding rows (correlations, COR-09).
public struct SQLWindowAggregate: Sendable, Hashable {
    /// The aggregate.
    public enum Kind: Sendable, Hashable {
        /// `count(*)`.
        case count
        /// Number of distinct non-null values of the argument.
        case countDistinct(SQLExpr)
        /// `max(argument)`.
        case max(SQLExpr)
        /// `sum(argument)`.
        case sum(SQLExpr)
        /// `avg(argument)`.
        case avg(SQLExpr)
    }
    var kind: Kind
    var partitionBy: [SQLExpr]
    /// The numeric ordering key (epoch seconds).
    var orderBy: SQLExpr
    /// Rows whose key lies in `[key - precedingSeconds, key]` (ties included), both ends inclusive.
    var precedingSeconds: Int
}
