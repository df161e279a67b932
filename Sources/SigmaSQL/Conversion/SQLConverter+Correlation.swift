import SigmaKit

extension SQLConverter {
    /// A correlation rule as a window query: the events of the referenced rules (with their filters, FLT-06),
    /// grouped by the `group-by` fields (lower-cased, COR-10; events missing one are dropped), each event the end
    /// of a window of `timespan` seconds, both ends inclusive (COR-09); the rows whose window satisfies the
    /// condition are returned, newest first.
    ///
    /// Supported: `event_count`, `value_count` (one field), `temporal`, `value_sum`, `value_avg`. The query
    /// returns every event at which the condition holds (COR-17), where the engine raises one alert per group and
    /// then starts that group's window afresh (D11); a warning says so.
    ///
    /// - Throws: ``ConversionError`` for `temporal_ordered`, percentiles, chained correlations, extended
    ///   (string) conditions, value fields that are not single values, and unknown rule references.
    public func convert(
        _ correlation: SigmaCorrelation, in collection: RuleCollection, disabledFilters: Set<String> = []
    ) throws(ConversionError) -> ConvertedQuery {
        let title = correlation.metadata.title
        let id = correlation.metadata.id
        let location = correlation.origin.location
        func fail(_ construct: String, _ reason: String) -> ConversionError {
            ConversionError(
                construct: construct, reason: reason, ruleTitle: title, ruleID: id, target: target, location: location)
        }
        let layout = self.layout
        var warnings: [String] = []

        // The threshold.
        let op: SQLExpr.Comparison
        let threshold: Double
        var valueFields: [String] = []
        switch correlation.condition {
        case .threshold(let comparison, let value, let field, let percentile):
            if percentile != nil { throw fail("a percentile condition", "no window percentile in SQL here") }
            op = DetectionConverter.comparison(comparison)
            threshold = value
            valueFields = field
        case .notEqual(let value, let field, _):
            op = .notEqual
            threshold = value
            valueFields = field
        case .expression:
            throw fail("a string (extended) temporal condition", "only numeric thresholds become window queries")
        }

        // The referenced rules.
        var rules: [SigmaRule] = []
        for reference in correlation.rules {
            switch collection.resolve(reference: reference) {
            case .rule(let rule)?: rules.append(rule)
            case .correlation?:
                throw fail("the chained correlation '\(reference)'", "correlations of correlations are not converted")
            case nil:
                throw fail("the rule reference '\(reference)'", "no loaded rule has this id or name")
            }
        }
        var ruleConditions: [SQLExpr] = []
        for rule in rules {
            var converter = DetectionConverter(layout: layout, ruleTitle: rule.title, ruleID: rule.id)
            let applied = Self.filters(collection.filters, applyingTo: rule, disabled: disabledFilters)
            ruleConditions.append(try condition(rule, filters: applied, converter: &converter))
            warnings += converter.warnings.map { "\(rule.id ?? rule.title): \($0)" }
        }

        /// One text value per event for a group-by or value field (no array fan-out: a group needs one value).
        func singleValue(_ field: String) throws(ConversionError) -> SQLExpr {
            switch layout.resolve(field) {
            case .scalar(let expr, _), .objectText(let expr): return expr
            case .json(let source, let path):
                warnings.append("'\(field)' is read as one value (a path through an array has none)")
                return .jsonScalar(source, path)
            case .absent(let reason):
                warnings.append("\(reason); no event has it, so the correlation never fires")
                return .null
            case .structArray, .structObject:
                throw fail("the correlation field '\(field)'", "it has no single value in this table layout")
            case .unsupported(let reason):
                throw fail("the correlation field '\(field)'", reason)
            }
        }
        /// A field, or an alias resolved per referenced rule (COR-07).
        func fieldValue(_ field: String) throws(ConversionError) -> SQLExpr {
            guard let mapping = correlation.aliases[field] else { return try singleValue(field) }
            var branches: [SQLCaseBranch] = []
            for (index, rule) in rules.enumerated() {
                let reference = correlation.rules[index]
                let name = mapping[reference] ?? rule.metadata.name.flatMap { mapping[$0] }
                    ?? rule.metadata.id.flatMap { mapping[$0] }
                guard let name else { continue }
                branches.append(SQLCaseBranch(ruleConditions[index], try singleValue(name)))
            }
            return .caseWhen(branches)
        }

        var items = selectItems(fields: [], warnings: &warnings)
        var groupColumns: [SQLExpr] = []
        for (index, field) in correlation.groupBy.enumerated() {
            let name = "group_\(index + 1)"
            items.append(SQLSelect.Item(.lower(try fieldValue(field)), alias: name))
            groupColumns.append(.variable(name))
        }
        items.append(SQLSelect.Item(.call(.epochSeconds, layout.eventTimestamp), alias: "event_seconds"))

        let kind: SQLWindowAggregate.Kind
        switch correlation.type {
        case .eventCount:
            kind = .count
        case .valueCount, .valueSum, .valueAvg:
            guard valueFields.count == 1 else {
                throw fail("a \(correlation.type.rawValue) over \(valueFields.count) fields", "give exactly one field")
            }
            let value = try fieldValue(valueFields[0])
            let column = SQLExpr.variable("correlation_field")
            switch correlation.type {
            case .valueCount:
                items.append(SQLSelect.Item(.lower(value), alias: "correlation_field"))
                kind = .countDistinct(column)
            default:
                let number = SQLExpr.caseWhen(
                    [SQLCaseBranch(.regex(value, DetectionConverter.jsonNumber), .call(.tryDouble, value))])
                items.append(SQLSelect.Item(number, alias: "correlation_field"))
                kind = correlation.type == .valueSum ? .sum(column) : .avg(column)
            }
        case .temporal:
            for (index, condition) in ruleConditions.enumerated() {
                let flag = SQLExpr.caseWhen([SQLCaseBranch(condition, .integer(1))], otherwise: .integer(0))
                items.append(SQLSelect.Item(flag, alias: "rule_\(index + 1)"))
            }
            kind = .count  // replaced below by the sum of per-rule maxima
        case .temporalOrdered:
            throw fail("a temporal_ordered correlation", "ordered sequences need row pattern matching, not a window")
        case .valuePercentile, .valueMedian:
            throw fail("a \(correlation.type.rawValue) correlation", "no window percentile in these dialects")
        }

        let window = { (kind: SQLWindowAggregate.Kind) -> SQLExpr in
            .window(SQLWindowAggregate(
                kind: kind, partitionBy: groupColumns, orderBy: .variable("event_seconds"),
                precedingSeconds: correlation.timespan))
        }
        let value: SQLExpr
        if correlation.type == .temporal {
            value = .sum(rules.indices.map { window(.max(.variable("rule_\($0 + 1)"))) })
        } else {
            value = window(kind)
        }
        let matched = SQLSelect(items: items, from: layout.source, condition: .or(ruleConditions))
        var present: [SQLExpr] = [.isNotNull(.variable("event_seconds"))]
        present += groupColumns.map { SQLExpr.isNotNull($0) }
        let windowed = SQLSelect(
            items: [SQLSelect.Item(.variable("matched.*")), SQLSelect.Item(value, alias: "correlation_value")],
            from: .table(["matched"]), condition: .and(present))
        var final = SQLSelect(
            items: [], from: .table(["windowed"]),
            condition: .compare(op, .variable("correlation_value"), .double(threshold)),
            orderBy: [SQLSelect.Order(.column(layout.eventTimeName), descending: true)])
        final.with = [
            SQLSelect.CommonTable(name: "matched", query: matched),
            SQLSelect.CommonTable(name: "windowed", query: windowed),
        ]
        warnings.append(
            "returns every event at which the condition holds (COR-09, COR-17); Trailwatch raises one alert per "
                + "group and then starts that group's window afresh (D11), so its alerts are the first row of each "
                + "group and the rows where a fresh window fills again")
        return ConvertedQuery(
            ruleID: id ?? title, title: title, target: target,
            sql: SQLRenderer(dialect: target.dialect).render(final), warnings: warnings, kind: .correlation)
    }
}
