import SigmaKit

/// The outcome of converting one rule (or correlation, or the combined query) of a collection.
public enum ConversionResult: Sendable, Hashable {
    case converted(ConvertedQuery)
    case failed(ConversionError)
    /// The rule was not converted because its log source is not CloudTrail's (LS-03).
    case setAside(ruleID: String, title: String, reason: String)
}

extension SQLConverter {
    /// The log source of CloudTrail events: a rule is converted only if its category, product and service are
    /// unset or equal to these (LS-03, as `trailwatch scan` runs them).
    public static let cloudTrailLogSource = LogSource(product: "aws", service: "cloudtrail")

    /// Converts a loaded collection: one query per detection rule and per correlation, or one combined query for
    /// all detection rules (correlations are always separate queries). A rule that raises no alert of its own (it
    /// only feeds a correlation with `generate: false`, COR-08) is set aside, as `trailwatch scan` does, unless
    /// `selection` names it.
    ///
    /// - Parameters:
    ///   - collection: Rules, filters and correlations, as loaded.
    ///   - combined: One query returning the matched rule ids per event instead of one query per rule.
    ///   - disabledFilters: Ids or names of filters not to apply.
    ///   - selection: When not empty, only the rules and correlations whose id, name or title is listed.
    public func convert(
        collection: RuleCollection, combined: Bool = false, disabledFilters: Set<String> = [],
        selection: Set<String> = []
    ) -> [ConversionResult] {
        func selected(_ metadata: RuleMetadata) -> Bool {
            selection.isEmpty || selection.contains(metadata.title) || metadata.id.map(selection.contains) == true
                || metadata.name.map(selection.contains) == true
        }
        var results: [ConversionResult] = []
        var rules: [SigmaRule] = []
        for rule in collection.rules where selected(rule.metadata) {
            guard rule.logsource.isContained(in: Self.cloudTrailLogSource) else {
                results.append(
                    .setAside(ruleID: rule.id ?? rule.title, title: rule.title,
                              reason: "its logsource does not apply to CloudTrail events"))
                continue
            }
            if selection.isEmpty, !collection.producesOwnAlerts(rule) {
                results.append(
                    .setAside(ruleID: rule.id ?? rule.title, title: rule.title,
                              reason: "it only feeds correlations (generate: false, COR-08); --rule converts it"))
                continue
            }
            rules.append(rule)
        }
        if combined {
            let (query, errors) = convertCombined(rules, filters: collection.filters, disabledFilters: disabledFilters)
            results += errors.map(ConversionResult.failed)
            if let query { results.append(.converted(query)) }
        } else {
            for rule in rules {
                do {
                    results.append(.converted(try convert(rule, filters: collection.filters,
                                                          disabledFilters: disabledFilters)))
                } catch {
                    results.append(.failed(error))
                }
            }
        }
        for correlation in collection.correlations where selected(correlation.metadata) {
            if selection.isEmpty, !collection.producesOwnAlerts(correlation) {
                results.append(
                    .setAside(ruleID: correlation.metadata.id ?? correlation.metadata.title,
                              title: correlation.metadata.title,
                              reason: "it only feeds other correlations (generate: false); --rule converts it"))
                continue
            }
            do {
                results.append(.converted(try convert(correlation, in: collection, disabledFilters: disabledFilters)))
            } catch {
                results.append(.failed(error))
            }
        }
        return results
    }
}

extension ConversionResult {
    /// Results as one SQL script: each query headed by `--` comments naming the rule and its warnings and ended
    /// by `;`; a rule that could not be converted appears as an `-- error:` comment (`errors: true`) so the
    /// script reads as a report; rules set aside are left out.
    public static func sqlScript(_ results: [ConversionResult], errors: Bool = false) -> String {
        func comment(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: " ")
        }
        var out = ""
        for result in results {
            switch result {
            case .converted(let query):
                out += "-- \(comment(query.title)) (\(query.ruleID))\n"
                for warning in query.warnings { out += "-- warning: \(comment(warning))\n" }
                out += query.sql + ";\n\n"
            case .failed(let error) where errors:
                out += "-- \(comment(error.ruleTitle)) (\(error.ruleID ?? error.ruleTitle))\n"
                out += "-- \(comment(error.description))\n\n"
            case .failed, .setAside:
                break
            }
        }
        return out
    }
}
