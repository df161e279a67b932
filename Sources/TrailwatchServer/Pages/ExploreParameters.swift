import Foundation
import TrailwatchKit

/// Explore's state in a URL: `q`, one parameter per facet (`level`, `type`, `status`, `tactic`, `source`,
/// `platform`; repeatable), `sort`, `page` and `per`. The detection pages carry the same parameters so that
/// "Back to Explore" returns to the same list.
enum ExploreParameters {
    static func query(from form: FormValues) -> CatalogQuery {
        var query = CatalogQuery()
        query.text = String((form["q"] ?? "").prefix(200))
        for facet in CatalogFacet.allCases {
            let values = form.all(facet.rawValue)
            if !values.isEmpty { query.selections[facet] = Set(values.map { String($0.prefix(200)) }) }
        }
        query.sort = form["sort"].flatMap(CatalogSort.init(rawValue:))
        query.page = form["page"].flatMap { Int($0) }.map { max(1, $0) } ?? 1
        query.pageSize = form["per"].flatMap { Int($0) }.map { min(max(1, $0), CatalogQuery.maxPageSize) } ?? 50
        return query
    }

    /// The canonical parameters of `query` (facet values sorted; defaults left out).
    static func form(_ query: CatalogQuery, includePage: Bool = true) -> FormValues {
        var form = FormValues()
        let text = query.text.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty { form.append("q", text) }
        for facet in CatalogFacet.allCases {
            for value in (query.selections[facet] ?? []).sorted() { form.append(facet.rawValue, value) }
        }
        if let sort = query.sort { form.append("sort", sort.rawValue) }
        if includePage && query.page > 1 { form.append("page", String(query.page)) }
        if query.pageSize != 50 { form.append("per", String(query.pageSize)) }
        return form
    }

    /// `/` plus the query string of `query`.
    static func href(_ query: CatalogQuery, includePage: Bool = true) -> String {
        let encoded = form(query, includePage: includePage).encoded
        return encoded.isEmpty ? "/" : "/?" + encoded
    }

    /// `query` with `value` of `facet` switched on or off, back on page 1.
    static func toggling(_ query: CatalogQuery, _ facet: CatalogFacet, _ value: String) -> CatalogQuery {
        var copy = query
        var values = copy.selections[facet] ?? []
        if values.contains(value) { values.remove(value) } else { values.insert(value) }
        copy.selections[facet] = values.isEmpty ? nil : values
        copy.page = 1
        return copy
    }

    /// A link to the detection page that remembers `query` for the way back.
    static func detectionHref(id: String, from query: CatalogQuery) -> String {
        let state = form(query).encoded
        return "/detections/" + FormValues.encode(id) + (state.isEmpty ? "" : "?" + state)
    }
}
