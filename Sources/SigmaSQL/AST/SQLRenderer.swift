/// Writes ``SQLExpr`` trees and ``SQLSelect`` statements as text in one ``SQLDialect``.
///
/// Conditions of a `WHERE` clause are laid out for reading: top-level `AND` terms one per line, and a nested
/// group that would make a line longer than ``lineWidth`` split over several lines.
public struct SQLRenderer: Sendable {
    /// The dialect every token is written in.
    public let dialect: any SQLDialect
    /// The width beyond which a boolean group is split over lines.
    public var lineWidth: Int = 120

    /// A renderer for `dialect`.
    public init(dialect: any SQLDialect) {
        self.dialect = dialect
    }

    // MARK: Statements

    /// The statement as text, without a trailing semicolon.
    public func render(_ select: SQLSelect) -> String {
        lines(select).joined(separator: "\n")
    }

    func lines(_ select: SQLSelect) -> [String] {
        var out: [String] = []
        for (index, table) in select.with.enumerated() {
            let head = index == 0 ? "WITH " : ", "
            out.append("\(head)\(dialect.quoteIdentifier(table.name)) AS (")
            out += lines(table.query).map { "    " + $0 }
            out.append(")")
        }
        if !select.with.isEmpty {
            // `), name AS (` reads better joined on one line.
            var merged: [String] = []
            for line in out {
                if line.hasPrefix(", "), let last = merged.last, last == ")" {
                    merged[merged.count - 1] = ")" + line
                } else {
                    merged.append(line)
                }
            }
            out = merged
        }
        let items = select.items.map(item)
        let inline = "SELECT " + (items.isEmpty ? "*" : items.joined(separator: ", "))
        if inline.count <= lineWidth {
            out.append(inline)
        } else {
            out.append("SELECT")
            out += items.enumerated().map { "    " + $0.element + ($0.offset < items.count - 1 ? "," : "") }
        }
        out += fromLines(select.from)
        if let condition = select.condition, condition.constantValue != true {
            out += conditionLines(condition, keyword: "WHERE")
        }
        if !select.orderBy.isEmpty {
            let keys = select.orderBy.map { expression($0.expression) + ($0.descending ? " DESC" : "") }
            out.append("ORDER BY " + keys.joined(separator: ", "))
        }
        return out
    }

    private func item(_ item: SQLSelect.Item) -> String {
        let text = expression(item.expression)
        guard let alias = item.alias else { return text }
        return "\(text) AS \(dialect.quoteIdentifier(alias))"
    }

    private func fromLines(_ source: SQLSource) -> [String] {
        switch source {
        case .table(let parts):
            return ["FROM " + parts.map(dialect.quoteIdentifier).joined(separator: ".")]
        case .duckDBDeliveryFiles(let path):
            let read = "read_json(\(dialect.stringLiteral(path)), columns = {'Records': 'JSON[]'}, "
                + "maximum_object_size = 268435456)"
            return ["FROM (SELECT unnest(Records) AS event FROM \(read)) AS records"]
        case .subquery(let select, let alias):
            return ["FROM ("] + lines(select).map { "    " + $0 } + [") AS \(dialect.quoteIdentifier(alias))"]
        }
    }

    /// `WHERE a` / `  AND b` lines; long groups split.
    private func conditionLines(_ condition: SQLExpr, keyword: String) -> [String] {
        let terms: [SQLExpr]
        if case .and(let parts) = condition.node { terms = parts } else { terms = [condition] }
        // A top-level OR needs no parentheses: `WHERE a` / `   OR b`.
        if case .or(let parts) = condition.node, expression(condition).count + keyword.count + 1 > lineWidth {
            var out: [String] = []
            for (index, part) in parts.enumerated() {
                let prefix = index == 0 ? keyword + " " : "   OR "
                let block = blockLines(part, parentIsAnd: false, indent: 2)
                out.append(prefix + block[0])
                out += block.dropFirst()
            }
            return out
        }
        var out: [String] = []
        for (index, term) in terms.enumerated() {
            let prefix = index == 0 ? keyword + " " : "  AND "
            let block = blockLines(term, parentIsAnd: terms.count > 1, indent: 2)
            out.append(prefix + block[0])
            out += block.dropFirst()
        }
        return out
    }

    /// A boolean term as one line, or split when longer than the line width.
    private func blockLines(_ term: SQLExpr, parentIsAnd: Bool, indent: Int) -> [String] {
        let inline = expression(term, context: parentIsAnd ? .andOperand : .top)
        guard inline.count + indent > lineWidth else { return [inline] }
        let pad = String(repeating: " ", count: indent + 4)
        switch term.node {
        case .or(let parts), .and(let parts):
            let isOr: Bool
            if case .or = term.node { isOr = true } else { isOr = false }
            let op = isOr ? "OR " : "AND "
            var out = ["("]
            for (index, part) in parts.enumerated() {
                let sub = blockLines(part, parentIsAnd: !isOr, indent: indent + 4)
                let head = index == 0 ? pad : pad + op
                out.append(head + sub[0])
                out += sub.dropFirst()
            }
            // A split group keeps its parentheses even where precedence would not need them: clearer.
            out.append(String(repeating: " ", count: indent) + ")")
            return out
        case .not(let inner):
            let sub = blockLines(inner, parentIsAnd: false, indent: indent)
            if sub.count == 1 { return [inline] }
            return ["NOT " + sub[0]] + sub.dropFirst()
        case .inList(let lhs, let values):
            // One value per line, as a person formats a long IN list.
            let head = expression(lhs, context: .comparisonOperand) + " IN ("
            let body = values.enumerated().map {
                pad + expression($0.element) + ($0.offset < values.count - 1 ? "," : "")
            }
            return [head] + body + [String(repeating: " ", count: indent) + ")"]
        default:
            return [inline]
        }
    }

    // MARK: Expressions

    /// Where an expression sits, to decide on parentheses.
    enum Context {
        case top, andOperand, orOperand, notOperand, comparisonOperand
    }

    /// The expression as one line of text.
    public func expression(_ expr: SQLExpr) -> String { expression(expr, context: .top) }

    func expression(_ expr: SQLExpr, context: Context) -> String {
        let d = dialect
        switch expr.node {
        case .column(let path):
            return path.map(d.quoteIdentifier).joined(separator: ".")
        case .variable(let name):
            return name
        case .string(let text):
            return d.stringLiteral(text)
        case .integer(let value):
            return String(value)
        case .double(let value):
            return Self.number(value)
        case .bool(let value):
            return value ? "TRUE" : "FALSE"
        case .null:
            return "NULL"
        case .not(let inner):
            let text = "NOT " + expression(inner, context: .notOperand)
            return context == .comparisonOperand ? "(\(text))" : text
        case .and(let parts):
            let text = parts.map { expression($0, context: .andOperand) }.joined(separator: " AND ")
            return context == .top || context == .andOperand ? text : "(\(text))"
        case .or(let parts):
            let text = parts.map { expression($0, context: .orOperand) }.joined(separator: " OR ")
            return context == .top || context == .orOperand ? text : "(\(text))"
        case .isNull(let operand, let negated):
            let text = expression(operand, context: .comparisonOperand) + (negated ? " IS NOT NULL" : " IS NULL")
            return context == .notOperand || context == .comparisonOperand ? "(\(text))" : text
        case .compare(let op, let lhs, let rhs):
            let text = "\(expression(lhs, context: .comparisonOperand)) \(op.rawValue) "
                + expression(rhs, context: .comparisonOperand)
            return context == .notOperand || context == .comparisonOperand ? "(\(text))" : text
        case .inList(let lhs, let values):
            let list = values.map { expression($0) }.joined(separator: ", ")
            let text = "\(expression(lhs, context: .comparisonOperand)) IN (\(list))"
            return context == .notOperand || context == .comparisonOperand ? "(\(text))" : text
        case .like(let operand, let pattern):
            let text = d.like(expression(operand, context: .comparisonOperand), pattern)
            return context == .notOperand || context == .comparisonOperand ? "(\(text))" : text
        case .regex(let operand, let pattern):
            return d.regexMatch(expression(operand), pattern)
        case .function(let function, let arguments):
            let text = d.function(function, arguments.map { expression($0) })
            // Some functions render as comparisons (`strpos(a, b) > 0`): keep them atomic.
            let isPredicate = function == .contains
            return isPredicate && (context == .notOperand || context == .comparisonOperand) ? "(\(text))" : text
        case .jsonScalar(let source, let path):
            return d.jsonScalar(expression(source), path)
        case .jsonValues(let source, let path, let unescape):
            return d.jsonValues(expression(source), path, unescapeObjects: unescape)
        case .jsonHasValue(let source, let path):
            return d.jsonHasValue(expression(source), path)
        case .jsonHasKey(let source, let path):
            return d.jsonHasKey(expression(source), path)
        case .unescapeJSON(let text):
            return d.unescapeJSON(expression(text))
        case .mapValue(let map, let key):
            return d.mapValue(expression(map), key)
        case .field(let base, let name):
            return expression(base, context: .comparisonOperand) + "." + d.quoteIdentifier(name)
        case .anyMatch(let collection, let variable, let predicate):
            let text = d.anyMatch(expression(collection), d.lambda(variable, expression(predicate)))
            return context == .notOperand || context == .comparisonOperand ? "(\(text))" : text
        case .filter(let collection, let variable, let predicate):
            return d.filter(expression(collection), d.lambda(variable, expression(predicate)))
        case .array(let elements):
            return d.arrayLiteral(elements.map { expression($0) })
        case .caseWhen(let branches, let otherwise):
            var text = "CASE"
            for branch in branches {
                text += " WHEN \(expression(branch.condition)) THEN \(expression(branch.value))"
            }
            if let otherwise { text += " ELSE \(expression(otherwise))" }
            return text + " END"
        case .isoTimestampText(let column):
            return d.isoTimestampText(expression(column))
        case .window(let aggregate):
            let argument: String?
            switch aggregate.kind {
            case .count: argument = nil
            case .countDistinct(let e), .max(let e), .sum(let e), .avg(let e): argument = expression(e)
            }
            return d.window(
                aggregate.kind, argument: argument, partitionBy: aggregate.partitionBy.map { expression($0) },
                orderBy: expression(aggregate.orderBy), precedingSeconds: aggregate.precedingSeconds)
        case .keywordValues(let source):
            return d.keywordValues(expression(source))
        case .sum(let terms):
            let text = terms.map { expression($0, context: .comparisonOperand) }.joined(separator: " + ")
            return context == .comparisonOperand ? "(\(text))" : text
        }
    }

    /// A double as SQL text: integral values without a fraction, others in their shortest round-trip form.
    static func number(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
