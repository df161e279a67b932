extension RuleLinter {
    /// Stable codes of the correlation and filter warnings (§13, §15), in addition to ``RuleLinter/Code``.
    public enum CorrelationCode: String, Sendable, CaseIterable {
        /// A filter's logsource can never apply to a rule it names, or to any loaded rule (FLT-03).
        case filterLogsourceNeverApplies = "filter-logsource-never-applies"
        /// A filter names a correlation: filters change detection rules only (FLT-06).
        case filterNamesCorrelation = "filter-names-correlation"
        /// No `group-by`: one global group (pySigma allows it, the spec requires group-by) (COR-04).
        case correlationWithoutGroupBy = "correlation-no-group-by"
        /// A parent's group-by field is not one of the chained correlation's group-by fields (COR-18).
        case correlationGroupByNotInChild = "correlation-group-by-not-in-child"
        /// An alias is defined but neither grouped on nor counted (COR-07).
        case correlationAliasUnused = "correlation-alias-unused"
        /// An alias used in group-by does not map every referenced rule (COR-07).
        case correlationAliasIncomplete = "correlation-alias-incomplete"
        /// A chained (inner) correlation carries `level` or `status`; only the outermost should (COR-01).
        case correlationInnerMetadata = "correlation-inner-metadata"
        /// A rule with a level above informational is referenced by correlations with `generate: true` and
        /// `generate: false`: it is silenced (COR-08). Building blocks (no level, or informational) are not reported.
        case correlationGenerateConflict = "correlation-generate-conflict"
        /// The condition can never hold (a count below zero, more distinct rules than referenced).
        case correlationNeverTrue = "correlation-never-true"
        /// A temporal clause with only `not`: every event becomes a context, which is costly.
        case correlationPureNegative = "correlation-pure-negative"
    }
}

extension LintContext {
    mutating func warn(_ code: RuleLinter.CorrelationCode, _ message: String, at location: SourceLocation?) {
        warnings.append(Diagnostic(severity: .warning, code: code.rawValue, message: message, location: location))
    }

    /// FLT-03/FLT-06: filters whose logsource never applies, or that name a correlation.
    mutating func checkFilterTargets(_ filter: SigmaFilter) {
        let tree = Self.tree(of: filter.origin)
        let logsourceLocation = tree?["logsource"]?.location ?? filter.origin.location
        let source = Self.describe(filter.logsource)
        switch filter.target {
        case .anyRule:
            if !collection.rules.contains(where: { filter.logsource.isContained(in: $0.logsource) }) {
                warn(
                    .filterLogsourceNeverApplies,
                    "filter '\(filter.metadata.title)' applies to rules with logsource \(source), and no loaded rule "
                        + "has it; the filter does nothing",
                    at: logsourceLocation)
            }
        case .rules(let references):
            let rulesNode = tree?["filter"]?["rules"]
            for (index, reference) in references.enumerated() {
                let location = rulesNode?.sequence?[safe: index]?.location ?? rulesNode?.location ?? logsourceLocation
                switch collection.resolve(reference: reference) {
                case .rule(let rule)? where !filter.logsource.isContained(in: rule.logsource):
                    warn(
                        .filterLogsourceNeverApplies,
                        "filter '\(filter.metadata.title)' names '\(reference)', but its logsource \(source) is not "
                            + "part of that rule's \(Self.describe(rule.logsource)) (every category, product and "
                            + "service the filter sets must equal the rule's); the filter never applies to it",
                        at: location)
                case .correlation(let correlation)?:
                    warn(
                        .filterNamesCorrelation,
                        "filter '\(filter.metadata.title)' names correlation '\(correlation.metadata.title)'; "
                            + "filters change detection rules only: name the rules the correlation uses",
                        at: location)
                default:
                    break
                }
            }
        }
    }

    static func describe(_ source: LogSource) -> String {
        var parts: [String] = []
        if let category = source.category { parts.append("category: \(category)") }
        if let product = source.product { parts.append("product: \(product)") }
        if let service = source.service { parts.append("service: \(service)") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// §15 checks that are not load errors.
    mutating func checkCorrelation(_ correlation: SigmaCorrelation) {
        let tree = Self.tree(of: correlation.origin)
        let section = tree?["correlation"]
        let start = section?.location ?? correlation.origin.location
        func at(_ key: String) -> SourceLocation { section?.pair(key)?.keyLocation ?? start }
        let title = correlation.metadata.title

        if correlation.groupBy.isEmpty {
            warn(
                .correlationWithoutGroupBy,
                "correlation '\(title)' has no group-by: every event falls in one global group (pySigma allows "
                    + "this; the specification requires group-by)",
                at: start)
        }

        // Aliases: used, and complete for the referenced rules.
        let valueFields = CorrelationPlan.valueFieldNames(correlation)
        for (alias, mapping) in correlation.aliases.sorted(by: { $0.key < $1.key }) {
            let location = section?["aliases"]?.pair(alias)?.keyLocation ?? at("aliases")
            guard correlation.groupBy.contains(alias) || valueFields.contains(alias) else {
                warn(
                    .correlationAliasUnused,
                    "alias '\(alias)' of correlation '\(title)' is not in group-by nor the condition's field",
                    at: location)
                continue
            }
            for reference in correlation.rules where !aliasCovers(mapping, reference) {
                warn(
                    .correlationAliasIncomplete,
                    "alias '\(alias)' of correlation '\(title)' does not map '\(reference)': its events are read "
                        + "at a field named '\(alias)'",
                    at: location)
            }
        }

        // COR-18: a parent's group-by fields should be among the chained correlation's.
        for (slot, reference) in correlation.rules.enumerated() {
            guard case .correlation(let child)? = collection.resolve(reference: reference) else { continue }
            let mapping = correlation.aliases.compactMapValues { targets -> String? in
                targets.first { aliasKey($0.key, matches: reference, child.metadata) }?.value
            }
            for field in correlation.groupBy {
                let mapped = mapping[field] ?? field
                if !child.groupBy.contains(mapped) {
                    warn(
                        .correlationGroupByNotInChild,
                        "correlation '\(title)' groups by '\(field)', which is not a group-by field of the "
                            + "correlation '\(child.metadata.title)' it chains (rules[\(slot)]); it is taken from "
                            + "that correlation's events, which may put one alert in several groups",
                        at: at("group-by"))
                }
            }
            for key in ["level", "status"] where tree != nil {
                if let childTree = Self.tree(of: child.origin), childTree[key] != nil {
                    warn(
                        .correlationInnerMetadata,
                        "correlation '\(child.metadata.title)' is chained by '\(title)'; only the outermost "
                            + "correlation of a chain should carry '\(key)'",
                        at: childTree.pair(key)?.keyLocation)
                }
            }
        }

        checkConditionReachable(correlation, at: at("condition"))
    }

    private func aliasCovers(_ mapping: [String: String], _ reference: String) -> Bool {
        let metadata: RuleMetadata?
        switch collection.resolve(reference: reference) {
        case .rule(let rule)?: metadata = rule.metadata
        case .correlation(let correlation)?: metadata = correlation.metadata
        case nil: metadata = nil
        }
        return mapping.keys.contains { key in
            metadata.map { aliasKey(key, matches: reference, $0) } ?? (key == reference)
        }
    }

    private func aliasKey(_ key: String, matches reference: String, _ metadata: RuleMetadata) -> Bool {
        key == reference || (metadata.name != nil && key == metadata.name)
            || (metadata.id != nil && RuleIdentifier.normalizedUUID(key) == metadata.id)
    }

    private mutating func checkConditionReachable(_ correlation: SigmaCorrelation, at location: SourceLocation) {
        let title = correlation.metadata.title
        let counts: Set<CorrelationType> = [.eventCount, .valueCount, .temporal, .temporalOrdered]
        switch correlation.condition {
        case .threshold(let op, let count, _, _):
            var never = false
            if counts.contains(correlation.type) {
                if (op == .less && count <= 0) || (op == .lessOrEqual && count < 0) || (op == .equal && count < 0) {
                    never = true
                }
                if correlation.type == .temporal || correlation.type == .temporalOrdered {
                    let n = Double(correlation.rules.count)
                    if (op == .greater && count >= n) || (op == .greaterOrEqual && count > n)
                        || (op == .equal && count > n)
                    {
                        never = true
                    }
                }
            }
            if never {
                warn(
                    .correlationNeverTrue,
                    "the condition of correlation '\(title)' can never hold (\(op.rawValue) \(count) for "
                        + "\(correlation.type.rawValue) over \(correlation.rules.count) rule(s))",
                    at: location)
            }
        case .notEqual:
            break
        case .expression(let expression):
            let slotOf = Dictionary(correlation.rules.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            let clauses = CompiledCorrelationCondition.clauses(expression, negative: false, slotOf: slotOf)
            if clauses.isEmpty {
                warn(.correlationNeverTrue, "the condition of correlation '\(title)' is a contradiction", at: location)
            }
            if clauses.contains(where: { $0.positive.isEmpty && !$0.negative.isEmpty }) {
                warn(
                    .correlationPureNegative,
                    "correlation '\(title)' has a clause with only 'not': every event becomes a possible start of "
                        + "its window, which costs memory and time on every event",
                    at: location)
            }
        }
    }

    /// COR-08: a rule referenced with generate true and false is silenced.
    mutating func checkGenerateConflicts() {
        var silencing: [String: String] = [:]  // rule origin key → title of a generate:false correlation
        var generating: [String: (title: String, rule: SigmaRule)] = [:]
        for correlation in collection.correlations {
            for reference in correlation.rules {
                guard case .rule(let rule)? = collection.resolve(reference: reference) else { continue }
                let key = "\(rule.origin.path)#\(rule.origin.documentIndex)"
                if correlation.generate {
                    generating[key] = generating[key] ?? (correlation.metadata.title, rule)
                } else {
                    silencing[key] = silencing[key] ?? correlation.metadata.title
                }
            }
        }
        for (key, entry) in generating.sorted(by: { $0.key < $1.key }) {
            // A rule without a level (or informational) is a building block meant to feed correlations only.
            guard let silencer = silencing[key], let level = entry.rule.level, level > .informational else { continue }
            warn(
                .correlationGenerateConflict,
                "rule '\(entry.rule.title)' is used by '\(entry.title)' with generate: true, but '\(silencer)' "
                    + "uses it with generate: false (the default), which silences its own alerts everywhere",
                at: entry.rule.origin.location)
        }
    }
}
