/// Positions of the references a correlation or a filter makes, kept for cross-document validation.
struct ReferenceSites: Sendable {
    /// `rules` entries (or, for an extended condition without `rules`, the condition's position).
    var rules: [(reference: String, location: SourceLocation)] = []
    /// Rule references used as keys inside `aliases`.
    var aliases: [(reference: String, location: SourceLocation)] = []
}

extension DocumentParser {
    static let correlationKeys: Set<String> = commonKeys.union(["correlation", "generate"])
    static let correlationSectionKeys: Set<String> = [
        "type", "rules", "group-by", "timespan", "condition", "aliases", "generate",
    ]
    static let timespanUnits: [Character: Int] = [
        "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800, "M": 2_629_746, "y": 31_556_952,
    ]

    /// A correlation rule (§15: COR-01..COR-08, COR-20 within the document).
    mutating func parseCorrelation(_ root: YAMLNode) -> (SigmaCorrelation, ReferenceSites)? {
        let metadata = parseMetadata(root, known: Self.correlationKeys)
        var sites = ReferenceSites()
        guard let section = root["correlation"], let pairs = section.mapping else {
            let node = root["correlation"]
            fail(
                .invalidCorrelation,
                "'correlation' must be a map (type, rules, timespan, ...), not "
                    + (node?.kindDescription ?? "missing"), at: node?.location ?? root.location)
            return nil
        }
        // D13: a key we do not know would be silently ignored; refuse it instead.
        for pair in pairs where !Self.correlationSectionKeys.contains(pair.key) {
            fail(
                .invalidCorrelation,
                "unknown correlation attribute '\(pair.key)' (known: type, rules, group-by, timespan, condition, "
                    + "aliases, generate)",
                at: pair.keyLocation)
        }

        // COR-02 type
        var type: CorrelationType?
        if let node = section["type"], !node.isNull {
            if let text = node.string, let t = CorrelationType(rawValue: text.lowercased()) {
                type = t
            } else {
                let allowed = CorrelationType.allCases.map(\.rawValue).joined(separator: ", ")
                fail(
                    .invalidCorrelation, "correlation type must be one of \(allowed), not \(quoted(node))",
                    at: node.location)
            }
        } else {
            fail(.invalidCorrelation, "the correlation has no 'type'", at: section.location)
        }
        let isTemporal = type == .temporal || type == .temporalOrdered

        // COR-03 rules (a string is one reference); COR-20 unique.
        var rules: [String]?
        if let node = section["rules"], !node.isNull {
            let items = node.sequence ?? [node]
            var list: [String] = []
            for item in items {
                guard let reference = item.string, !reference.isEmpty else {
                    fail(
                        .invalidCorrelation,
                        "each entry of 'rules' must be a rule id or name, not \(item.kindDescription)",
                        at: item.location)
                    continue
                }
                if list.contains(reference) {
                    fail(.invalidCorrelation, "'rules' lists '\(reference)' twice", at: item.location)
                    continue
                }
                list.append(reference)
                sites.rules.append((reference, item.location))
            }
            if node.scalar == nil && node.sequence == nil {
                fail(.invalidCorrelation, "'rules' must be a list of rule ids or names", at: node.location)
            }
            if list.isEmpty && node.sequence?.isEmpty == true {
                fail(.invalidCorrelation, "'rules' is empty", at: node.location)
            }
            rules = list
        }

        // COR-08 generate (inside `correlation`, or at the top level as COR-01 lists it)
        var generate = false
        if let node = section["generate"] ?? root["generate"], !node.isNull {
            if case .bool(let flag)? = node.scalar?.value {
                generate = flag
            } else {
                fail(.invalidCorrelation, "'generate' must be true or false, not \(quoted(node))", at: node.location)
            }
        }

        // COR-04 group-by
        var groupBy: [String] = []
        if let node = section["group-by"], !node.isNull {
            for item in node.sequence ?? [node] {
                if let scalar = item.scalar {
                    groupBy.append(scalar.text)
                } else {
                    fail(
                        .invalidCorrelation, "'group-by' must be a field name or a list of field names",
                        at: item.location)
                }
            }
        }

        // COR-05 timespan
        var timespan = 0
        if let node = section["timespan"], !node.isNull {
            if let seconds = Self.timespanSeconds(node.string ?? "") {
                timespan = seconds
            } else {
                fail(
                    .invalidCorrelation,
                    "timespan \(quoted(node)) is invalid: write a positive whole number and one unit, "
                        + "s, m, h, d, w, M (month) or y, e.g. 5m or 1h",
                    at: node.location)
            }
        } else {
            fail(.invalidCorrelation, "the correlation has no 'timespan'", at: section.location)
        }

        // COR-07 aliases
        var aliases: [String: [String: String]] = [:]
        if let node = section["aliases"], !node.isNull {
            if let aliasPairs = node.mapping {
                for alias in aliasPairs {
                    guard let mapping = alias.value.mapping else {
                        fail(
                            .invalidCorrelation,
                            "alias '\(alias.key)' must map rule names to field names, not be "
                                + alias.value.kindDescription,
                            at: alias.value.location)
                        continue
                    }
                    var fields: [String: String] = [:]
                    for entry in mapping {
                        guard let field = entry.value.scalar?.text, !entry.value.isNull else {
                            fail(
                                .invalidCorrelation, "alias '\(alias.key)' must give a field name for '\(entry.key)'",
                                at: entry.value.location)
                            continue
                        }
                        fields[entry.key] = field
                        sites.aliases.append((entry.key, entry.keyLocation))
                    }
                    aliases[alias.key] = fields
                }
            } else {
                fail(.invalidCorrelation, "'aliases' must be a map, not \(node.kindDescription)", at: node.location)
            }
        }

        // COR-06 condition
        var condition: CorrelationCondition?
        if let node = section["condition"], !node.isNull {
            if node.mapping != nil {
                condition = parseCorrelationCondition(node, type: type)
            } else if let text = node.string {
                if let type, !isTemporal {
                    fail(
                        .invalidCorrelation,
                        "a condition written as text only works with temporal and temporal_ordered correlations, "
                            + "not \(type.rawValue)",
                        at: node.location)
                } else if let expression = parseExtendedCondition(text, at: node.location) {
                    condition = .expression(expression)
                    let named = Self.identifiersInOrder(expression)
                    if let listed = rules {
                        let missing = listed.filter { !named.contains($0) }
                        let extra = named.filter { !listed.contains($0) }
                        if !missing.isEmpty {
                            fail(
                                .invalidCorrelation,
                                "rules listed but not used in the condition: \(missing.joined(separator: ", "))",
                                at: node.location)
                        }
                        if !extra.isEmpty {
                            fail(
                                .invalidCorrelation,
                                "the condition uses rules missing from 'rules': \(extra.joined(separator: ", "))",
                                at: node.location)
                        }
                    } else {
                        rules = named
                        sites.rules = named.map { ($0, node.location) }
                    }
                }
            } else {
                fail(
                    .invalidCorrelation,
                    "the correlation condition must be a map (e.g. gte: 10) or, for temporal "
                        + "types, a string", at: node.location)
            }
        } else if let type, !isTemporal {
            fail(
                .invalidCorrelation, "a \(type.rawValue) correlation needs a 'condition' (e.g. gte: 10)",
                at: section.location)
        } else if isTemporal {
            // COR-06: temporal types default to "all referenced rules matched".
            condition = .threshold(.greaterOrEqual, Double(rules?.count ?? 0), field: [], percentile: nil)
        }
        if rules == nil && section["condition"]?.string == nil {
            fail(
                .invalidCorrelation, "the correlation has no 'rules' (the rules it correlates)",
                at: section.location)
        }

        guard errors.isEmpty, let type, let rules, let condition else { return nil }
        let correlation = SigmaCorrelation(
            metadata: metadata, type: type, rules: rules, groupBy: groupBy, timespan: timespan,
            condition: condition, aliases: aliases, generate: generate, origin: origin)
        return (correlation, sites)
    }

    /// `<positive int><unit>`, units case-sensitive (COR-05). Nil when invalid.
    static func timespanSeconds(_ text: String) -> Int? {
        guard let unit = text.last, let factor = timespanUnits[unit] else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(digits), count > 0
        else { return nil }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: factor)
        return overflow ? nil : seconds
    }

    private mutating func parseCorrelationCondition(_ node: YAMLNode, type: CorrelationType?) -> CorrelationCondition? {
        let operators = ["gt", "gte", "lt", "lte", "eq", "neq"]
        let pairs = node.mapping ?? []
        let found = pairs.filter { operators.contains($0.key) }
        for pair in pairs where !operators.contains(pair.key) && pair.key != "field" && pair.key != "percentile" {
            fail(
                .invalidCorrelation,
                "unknown key '\(pair.key)' in the correlation condition (use one of gt, gte, lt, lte, eq, neq, "
                    + "plus field and percentile)",
                at: pair.keyLocation)
        }
        guard found.count == 1, let op = found.first else {
            fail(
                .invalidCorrelation,
                "the correlation condition must have exactly one of gt, gte, lt, lte, eq, neq (found \(found.count))",
                at: node.location)
            return nil
        }
        guard let threshold = Self.number(op.value), threshold.isFinite else {
            fail(
                .invalidCorrelation, "\(quoted(op.value)) is not a valid count for '\(op.key)'",
                at: op.value.location)
            return nil
        }
        var fields: [String] = []
        if let fieldNode = node["field"], !fieldNode.isNull {
            for item in fieldNode.sequence ?? [fieldNode] {
                if let name = item.string, !name.isEmpty {
                    fields.append(name)
                } else {
                    fail(
                        .invalidCorrelation, "'field' must be a field name or a list of field names",
                        at: item.location)
                }
            }
        }
        var percentile: Double?
        if let node = node["percentile"], !node.isNull {
            if let value = Self.number(node), value >= 0, value <= 100 {
                percentile = value.rounded(.towardZero)
            } else {
                fail(
                    .invalidCorrelation, "'percentile' must be a number from 0 to 100, not \(quoted(node))",
                    at: node.location)
            }
        }
        if let type {
            let valueTypes: Set<CorrelationType> = [.valueCount, .valueSum, .valueAvg, .valuePercentile, .valueMedian]
            if valueTypes.contains(type) && fields.isEmpty {
                fail(
                    .invalidCorrelation, "a \(type.rawValue) correlation needs 'field' in its condition",
                    at: node.location)
            }
            if !valueTypes.contains(type) && !fields.isEmpty {
                fail(
                    .invalidCorrelation, "'field' is only used by value_* correlations, not \(type.rawValue)",
                    at: node.pair("field")?.keyLocation ?? node.location)
            }
            if type == .valuePercentile && percentile == nil && errors.isEmpty {
                fail(
                    .invalidCorrelation, "a value_percentile correlation needs 'percentile' (0-100) in its condition",
                    at: node.location)
            }
            if type != .valuePercentile && percentile != nil {
                fail(
                    .invalidCorrelation, "'percentile' is only used by value_percentile correlations",
                    at: node.pair("percentile")?.keyLocation ?? node.location)
            }
        }
        let comparison: [String: ComparisonOperator] = [
            "gt": .greater, "gte": .greaterOrEqual, "lt": .less, "lte": .lessOrEqual, "eq": .equal,
        ]
        if let cmp = comparison[op.key] {
            return .threshold(cmp, threshold, field: fields, percentile: percentile)
        }
        return .notEqual(threshold, field: fields, percentile: percentile)
    }

    /// A count: int, float, or a numeric string (pySigma calls `float()` on it). Booleans are refused.
    static func number(_ node: YAMLNode) -> Double? {
        switch node.scalar?.value {
        case .int(let i)?: return Double(i)
        case .float(let d)?: return d
        case .string(let s)?: return Double(s.trimmingSpaces())
        default: return nil
        }
    }

    /// The extended temporal condition (`failed and not ok`): and/or/not over rule names only.
    private mutating func parseExtendedCondition(_ text: String, at location: SourceLocation) -> ConditionExpression? {
        let expression: ConditionExpression
        do {
            expression = try ConditionParser.parse(text, at: location)
        } catch {
            errors.append(
                RuleError(
                    .invalidCorrelation, "the correlation condition does not parse: \(error.message)",
                    at: error.location ?? location))
            return nil
        }
        var ok = true
        func check(_ e: ConditionExpression) {
            switch e {
            case .identifier(let name):
                let valid =
                    name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
                    && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
                if !valid { ok = false }
            case .not(let inner): check(inner)
            case .and(let parts), .or(let parts): parts.forEach(check)
            case .selector: ok = false
            }
        }
        check(expression)
        guard ok else {
            fail(
                .invalidCorrelation,
                "a correlation condition may only combine rule names (letters, digits, _) with and, or, not",
                at: location)
            return nil
        }
        return expression
    }

    static func identifiersInOrder(_ expression: ConditionExpression) -> [String] {
        var out: [String] = []
        func walk(_ e: ConditionExpression) {
            switch e {
            case .identifier(let name): if !out.contains(name) { out.append(name) }
            case .not(let inner): walk(inner)
            case .and(let parts), .or(let parts): parts.forEach(walk)
            case .selector: break
            }
        }
        walk(expression)
        return out
    }

    // MARK: - Filters (FLT-01, FLT-02)

    static let filterKeys: Set<String> = commonKeys.union(["logsource", "filter"])

    mutating func parseFilter(_ root: YAMLNode) -> (SigmaFilter, ReferenceSites)? {
        let metadata = parseMetadata(root, known: Self.filterKeys)
        let logsource = parseLogSource(root, documentKind: "filter")
        var sites = ReferenceSites()
        guard let section = root["filter"], section.mapping != nil else {
            let node = root["filter"]
            fail(
                .invalidFilter,
                "'filter' must be a map (rules, selections and a condition), not "
                    + (node?.kindDescription ?? "missing"), at: node?.location ?? root.location)
            return nil
        }
        var target: SigmaFilter.Target = .anyRule
        if let node = section["rules"], !node.isNull {
            if let text = node.string {
                if text.lowercased() == "any" {
                    target = .anyRule
                } else {
                    target = .rules([text])
                    sites.rules = [(text, node.location)]
                }
            } else if let items = node.sequence {
                var list: [String] = []
                for item in items {
                    guard let reference = item.string, !reference.isEmpty else {
                        fail(
                            .invalidFilter,
                            "each entry of 'rules' must be a rule id or name, not \(item.kindDescription)",
                            at: item.location)
                        continue
                    }
                    list.append(reference)
                    sites.rules.append((reference, item.location))
                }
                target = items.isEmpty ? .anyRule : .rules(list)
            } else {
                fail(.invalidFilter, "'rules' must be 'any', a rule id or name, or a list of them", at: node.location)
            }
        } else {
            fail(
                .invalidFilter, "the filter has no 'rules' (use 'any' to apply it to every rule of its logsource)",
                at: section.pair("rules")?.keyLocation ?? section.location)
        }
        let (detections, conditions, texts) = parseDetectionSection(
            section, conditionKey: "condition", section: "filter", skipping: ["rules"], singleCondition: true)
        guard errors.isEmpty, let condition = conditions.first, let text = texts.first else { return nil }
        let filter = SigmaFilter(
            metadata: metadata, logsource: logsource, target: target, detections: detections, condition: condition,
            conditionText: text, origin: origin)
        return (filter, sites)
    }
}

extension String {
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars.drop { $0.properties.isWhitespace }
        let trimmed = scalars.reversed().drop { $0.properties.isWhitespace }.reversed()
        var out = ""
        out.unicodeScalars.append(contentsOf: trimmed)
        return out
    }
}
