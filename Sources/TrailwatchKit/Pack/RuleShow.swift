import SigmaKit

/// Finds a rule by id, name or title and renders its catalog page.
public enum RuleShow {
    public static func page(for query: String, in collection: RuleCollection, useColor: Bool = false)
        -> Result<String, FixtureError>
    {
        let needle = query.lowercased()
        let candidates = collection.rules.filter {
            $0.metadata.id == needle || $0.metadata.name?.lowercased() == needle || $0.title.lowercased() == needle
        }
        guard let rule = candidates.first else {
            let close = collection.rules.filter { $0.title.lowercased().contains(needle) }.prefix(5)
            let hint = close.isEmpty ? "" : " Did you mean: " + close.map { "'\($0.title)'" }.joined(separator: ", ")
            return .failure(FixtureError("no rule with id, name or title '\(query)'.\(hint)"))
        }
        let filters = collection.filters.filter { RuleSet.filter($0, appliesTo: rule) }
        return .success(CatalogPage(rule: rule, filters: filters, catalog: .builtin, useColor: useColor).render())
    }
}

