import SigmaKit

/// One converted query.
public struct ConvertedQuery: Sendable, Hashable {
    /// What the query answers.
    public enum Kind: String, Sendable, Hashable {
        /// The events one detection rule matches.
        case rule
        /// The events at which a correlation's condition holds.
        case correlation
        /// The events any of several rules match, with the rules' ids.
        case combined
    }

    /// What the query answers.
    public var kind: Kind
    /// The rule's id, or its title when it has none (for `--combined`: `combined`).
    public var ruleID: String
    /// The rule's title.
    public var title: String
    /// The target the query is for.
    public var target: SQLTarget
    /// The query, without a trailing semicolon.
    public var sql: String
    /// What the user should know about the query (layout or dialect limits met by this rule).
    public var warnings: [String]

    /// A converted query.
    public init(
        ruleID: String, title: String, target: SQLTarget, sql: String, warnings: [String], kind: Kind = .rule
    ) {
        self.kind = kind
        self.ruleID = ruleID
        self.title = title
        self.target = target
        self.sql = sql
        self.warnings = warnings
    }
}

/// Converts Sigma rules to SQL queries for one target (engine and table layout).
///
/// Each query keeps Sigma's semantics: case-insensitive comparison unless `cased`, wildcards as `LIKE` with an
/// explicit `ESCAPE`, `null` as `IS NULL`, `not` true over a missing field (EV-07), arrays fanned out where the
/// dialect can, objects compared as their JSON text (D1). What cannot be written faithfully is refused with a
/// ``ConversionError``; what the table layout cannot hold is reported as a warning.
///
/// ```swift
/// let converter = SQLConverter(target: .athena)
/// let query = try converter.convert(rule, filters: collection.filters)
/// print(query.sql)
/// ```
public struct SQLConverter: Sendable {
    /// The engine and table layout.
    public let target: SQLTarget
    /// Where the query reads from.
    public var source: SQLSourceOptions

    var layout: TableLayout { TableLayout(target: target, options: source) }

    /// A converter for `target`, reading from `source` (the target's default table when empty).
    public init(target: SQLTarget, source: SQLSourceOptions = .init()) {
        self.target = target
        self.source = source
    }

    /// The filters (of `filters`) that apply to `rule` (FLT-02, FLT-03), in order (FLT-07), minus those whose
    /// id or name is in `disabled`.
    public static func filters(
        _ filters: [SigmaFilter], applyingTo rule: SigmaRule, disabled: Set<String> = []
    ) -> [SigmaFilter] {
        filters.filter { filter in
            !(filter.metadata.id.map(disabled.contains) ?? false)
                && !(filter.metadata.name.map(disabled.contains) ?? false)
                && RuleSet.filter(filter, appliesTo: rule)
        }
    }

    /// The rule's condition AND its filters' conditions (FLT-04), as an expression.
    func condition(
        _ rule: SigmaRule, filters: [SigmaFilter], converter: inout DetectionConverter
    ) throws(ConversionError) -> SQLExpr {
        var terms = [
            try converter.condition(rule.conditions, detections: rule.detections, location: rule.origin.location)
        ]
        for filter in filters {
            terms.append(
                try converter.condition(
                    [filter.condition], detections: filter.detections, location: filter.origin.location))
        }
        return .and(terms)
    }

    /// The select list: event time, id, source and name, then the rule's `fields` (MD-12), or a default list.
    func selectItems(fields: [String], warnings: inout [String]) -> [SQLSelect.Item] {
        let layout = self.layout
        var names = ["eventTime", "eventID", "eventSource", "eventName"]
        for field in fields.isEmpty ? CloudTrailSchema.defaultSelect : fields where !names.contains(field) {
            names.append(field)
        }
        var items: [SQLSelect.Item] = []
        for name in names {
            if let item = layout.selectItem(name) {
                if !items.contains(item) { items.append(item) }
            } else {
                warnings.append("field '\(name)' of `fields` has no single value in this table layout; not selected")
            }
        }
        return items
    }

    private var orderByTime: [SQLSelect.Order] {
        [SQLSelect.Order(.column(layout.eventTimeName), descending: true)]
    }

    /// One query for one rule: the events it matches, newest first.
    ///
    /// - Parameters:
    ///   - rule: The detection rule.
    ///   - filters: The filters to apply; only those that apply to the rule (FLT-02/03) are used.
    ///   - disabledFilters: Ids or names of filters not to apply (the pack's successful-calls filter under
    ///     `--include-failed`).
    /// - Throws: ``ConversionError`` when a construct of the rule has no faithful translation for the target.
    public func convert(
        _ rule: SigmaRule, filters: [SigmaFilter] = [], disabledFilters: Set<String> = []
    ) throws(ConversionError) -> ConvertedQuery {
        var converter = DetectionConverter(layout: layout, ruleTitle: rule.title, ruleID: rule.id)
        let applied = Self.filters(filters, applyingTo: rule, disabled: disabledFilters)
        let condition = try self.condition(rule, filters: applied, converter: &converter)
        var warnings = converter.warnings
        if condition.constantValue == false {
            warnings.append("the rule can never match in this table layout")
        }
        let select = SQLSelect(
            items: selectItems(fields: rule.metadata.fields, warnings: &warnings), from: layout.source,
            condition: condition, orderBy: orderByTime)
        return ConvertedQuery(
            ruleID: rule.id ?? rule.title, title: rule.title, target: target,
            sql: SQLRenderer(dialect: target.dialect).render(select), warnings: warnings)
    }

    /// One query for many rules: every event that matches at least one of them, with the ids of the rules it
    /// matches in a `matched_rules` array column. Rules that cannot be converted are left out and returned as
    /// errors.
    public func convertCombined(
        _ rules: [SigmaRule], filters: [SigmaFilter] = [], disabledFilters: Set<String> = []
    ) -> (query: ConvertedQuery?, errors: [ConversionError]) {
        var errors: [ConversionError] = []
        var warnings: [String] = []
        var branches: [SQLExpr] = []
        for rule in rules {
            var converter = DetectionConverter(layout: layout, ruleTitle: rule.title, ruleID: rule.id)
            let applied = Self.filters(filters, applyingTo: rule, disabled: disabledFilters)
            do {
                let condition = try self.condition(rule, filters: applied, converter: &converter)
                let id = rule.id ?? rule.title
                warnings += converter.warnings.map { "\(id): \($0)" }
                if condition.constantValue == false {
                    warnings.append("\(id): the rule can never match in this table layout")
                    continue
                }
                branches.append(.caseWhen([SQLCaseBranch(condition, .string(id))]))
            } catch {
                errors.append(error)
            }
        }
        guard !branches.isEmpty else { return (nil, errors) }
        var items = selectItems(fields: [], warnings: &warnings)
        let matched = SQLExpr.filter(.array(branches), variable: "r", .isNotNull(.variable("r")))
        items.append(SQLSelect.Item(matched, alias: "matched_rules"))
        let inner = SQLSelect(items: items, from: layout.source)
        let outer = SQLSelect(
            items: [], from: .subquery(inner, alias: "evaluated"),
            condition: .compare(.greater, .call(.cardinality, .column("matched_rules")), .integer(0)),
            orderBy: orderByTime)
        let query = ConvertedQuery(
            ruleID: "combined", title: "\(branches.count) rules", target: target,
            sql: SQLRenderer(dialect: target.dialect).render(outer), warnings: warnings, kind: .combined)
        return (query, errors)
    }
}
