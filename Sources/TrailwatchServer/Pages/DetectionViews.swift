import Foundation
import SigmaKit
import TrailwatchKit

// View models of the catalog pages. Templates escape every `{{value}}`; the only `{{{raw}}}` insertions are
// `queryHTML` (escaped by HTML.highlightYAML), `documentationHTML` (MarkdownRenderer) and `enrichmentHTML`
// (AlertViews), each built from escaped pieces.
// Names of optional fields are unique across nesting levels: Mustache looks a nil field up in the outer
// contexts.

struct Chrome {
    var title: String
    var isExplore = false
    var isAlerts = false
    var footer: String
}

struct Option {
    var value: String
    var label: String
    var selected: Bool
}

struct Pager {
    var page: Int
    var pageCount: Int
    var hasPages: Bool
    var prevHref: String?
    var nextHref: String?

    init(page: Int, pageCount: Int, href: (Int) -> String) {
        self.page = page
        self.pageCount = pageCount
        hasPages = pageCount > 1
        prevHref = page > 1 ? href(page - 1) : nil
        nextHref = page < pageCount ? href(page + 1) : nil
    }
}

struct ExploreView {
    struct Hidden {
        var name: String
        var value: String
    }
    struct FacetValueView {
        var label: String
        var count: Int
        var href: String
        var selected: Bool
    }
    struct FacetView {
        var name: String
        var title: String
        var top: [FacetValueView]
        var more: [FacetValueView]
        var hasMore: Bool
        var moreCount: Int
    }
    struct Chip {
        var label: String
        var href: String
    }
    struct Row {
        var id: String
        var href: String
        var title: String
        var level: String
        var levelClass: String
        var type: String
        var typeClass: String
        var status: String?
        var snippet: String?
        var meta: String
    }

    var chrome: Chrome
    var q: String
    var hasQuery: Bool
    var hidden: [Hidden]
    var sortOptions: [Option]
    var facets: [FacetView]
    var chips: [Chip]
    var hasChips: Bool
    var totalText: String
    var isEmpty: Bool
    var rows: [Row]
    var pager: Pager

    /// Facet values shown before "N more".
    static let visibleValues = 8

    init(query: CatalogQuery, result: CatalogSearchResult, catalog: DetectionCatalog, snippets: [String: String], footer: String) {
        chrome = Chrome(title: "Explore", isExplore: true, footer: footer)
        q = query.text
        hasQuery = !query.text.trimmingCharacters(in: .whitespaces).isEmpty
        hidden = CatalogFacet.allCases.flatMap { facet in
            (query.selections[facet] ?? []).sorted().map { Hidden(name: facet.rawValue, value: $0) }
        }
        if query.pageSize != 50 { hidden.append(Hidden(name: "per", value: String(query.pageSize))) }
        sortOptions = CatalogSort.allCases.map {
            Option(value: $0.rawValue, label: "Sort: " + $0.label, selected: $0 == result.sort)
        }
        facets = result.facets.map { facet, values in
            let views = values.map { value in
                FacetValueView(
                    label: value.label, count: value.count,
                    href: ExploreParameters.href(ExploreParameters.toggling(query, facet, value.value)),
                    selected: value.isSelected)
            }
            // Selected values always stay in view.
            // The 14 ATT&CK tactics are a short, fixed list: all shown.
            let visible = facet == .tactic ? AttackTags.tacticOrder.count : ExploreView.visibleValues
            var top = Array(views.prefix(visible))
            var more = Array(views.dropFirst(visible))
            top += more.filter(\.selected)
            more.removeAll(where: \.selected)
            return FacetView(
                name: facet.rawValue, title: facet.title, top: top, more: more, hasMore: !more.isEmpty,
                moreCount: more.count)
        }
        chips = []
        for facet in CatalogFacet.allCases {
            for value in (query.selections[facet] ?? []).sorted() {
                let label = facet == .tactic ? catalog.catalog.tacticLabel(value) : value
                chips.append(Chip(
                    label: "\(facet.title): \(label)",
                    href: ExploreParameters.href(ExploreParameters.toggling(query, facet, value))))
            }
        }
        hasChips = !chips.isEmpty
        totalText = Format.plural(result.total, "detection")
        isEmpty = result.items.isEmpty
        var pageQuery = query
        pageQuery.page = result.page
        rows = result.items.map { summary in
            var meta: [String] = [summary.status.map { "status \($0.rawValue)" } ?? ""]
            if !summary.tactics.isEmpty { meta.append(summary.tactics.map(catalog.catalog.tacticLabel).joined(separator: ", ")) }
            if !summary.dataSources.isEmpty { meta.append(summary.dataSources.joined(separator: ", ")) }
            if let modified = summary.modified {
                meta.append("modified \(modified)")
            } else if let date = summary.date {
                meta.append("created \(date)")
            }
            return Row(
                id: summary.id, href: ExploreParameters.detectionHref(id: summary.id, from: pageQuery),
                title: summary.title, level: summary.level?.rawValue ?? "unset",
                levelClass: summary.level?.rawValue ?? "unset", type: summary.type,
                typeClass: summary.type.lowercased(), status: nil, snippet: snippets[summary.id],
                meta: meta.filter { !$0.isEmpty }.joined(separator: " · "))
        }
        pager = Pager(page: result.page, pageCount: result.pageCount) { page in
            var copy = query
            copy.page = page
            return ExploreParameters.href(copy)
        }
    }
}

struct DetectionView {
    struct LinkItem {
        var label: String
        var href: String
    }
    struct Reference {
        var label: String
        var url: String?
    }
    struct FilterView {
        var title: String
        var filterID: String?
        var condition: String
        var filterDescription: String?
    }
    struct FixtureView {
        var name: String
        var passed: Bool
        var differences: [String]
    }
    struct SQLView {
        var dialect: String
        var sqlText: String?
        var sqlError: String?
    }

    var chrome: Chrome
    var backHref: String
    var id: String
    var title: String
    var level: String
    var levelClass: String
    var type: String
    var typeClass: String
    var status: String?
    var statusText: String
    var description: String?
    var descriptionParagraphs: [String]
    var hasAttack: Bool
    var tactics: [LinkItem]
    var techniques: [LinkItem]
    var queryHTML: String
    var documentationHTML: String?
    var hasFalsePositives: Bool
    var falsePositives: [String]
    var hasFilters: Bool
    var filters: [FilterView]
    var hasFixtures: Bool
    var fixtureSummary: String
    var fixtures: [FixtureView]
    var sqlAvailable: Bool
    var sql: [SQLView]
    var raw: String
    var rawLines: Int
    var author: String
    var created: String
    var modified: String?
    var hasDataSources: Bool
    var dataSources: [LinkItem]
    var hasPlatforms: Bool
    var platforms: [LinkItem]
    var hasTags: Bool
    var tags: [String]
    var hasReferences: Bool
    var references: [Reference]
    var path: String
    var jsonHref: String

    init(detail: DetectionDetail, back: CatalogQuery, footer: String) {
        let summary = detail.summary
        let rule = detail.rule
        chrome = Chrome(title: summary.title, isExplore: true, footer: footer)
        backHref = ExploreParameters.href(back)
        id = summary.id
        title = summary.title
        level = summary.level?.rawValue ?? "unset"
        levelClass = level
        type = summary.type
        typeClass = summary.type.lowercased()
        status = summary.status?.rawValue
        statusText = summary.status?.rawValue ?? "-"
        description = summary.description.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        descriptionParagraphs = Format.paragraphs(summary.description)
        func exploreHref(_ facet: CatalogFacet, _ value: String) -> String {
            ExploreParameters.href(CatalogQuery(selections: [facet: [value]]))
        }
        tactics = summary.tactics.map { LinkItem(label: detail.catalog.tacticLabel($0), href: exploreHref(.tactic, $0)) }
        techniques = summary.techniques.map { id in
            LinkItem(label: detail.catalog.techniqueLabel(id), href: DetectionView.attackURL(technique: id))
        }
        hasAttack = !tactics.isEmpty || !techniques.isEmpty
        queryHTML = HTML.highlightYAML(detail.queryText)
        documentationHTML = detail.documentationHTML
        falsePositives = rule.metadata.falsePositives
        hasFalsePositives = !falsePositives.isEmpty
        filters = detail.filters.map { filter in
            FilterView(
                title: filter.metadata.title, filterID: filter.metadata.id, condition: filter.conditionText,
                filterDescription: Format.snippet(filter.metadata.description, limit: 300))
        }
        hasFilters = !filters.isEmpty
        fixtures = detail.fixtures.map { FixtureView(name: $0.name, passed: $0.passed, differences: $0.differences) }
        hasFixtures = !fixtures.isEmpty
        let failed = detail.fixtures.filter { !$0.passed }.count
        fixtureSummary = "\(detail.fixtures.count - failed) passed, \(failed) failed"
        sqlAvailable = detail.sql != nil
        sql = (detail.sql ?? []).map { SQLView(dialect: $0.dialect, sqlText: $0.sql, sqlError: $0.error) }
        raw = rule.origin.rawText.trimmingCharacters(in: .newlines)
        rawLines = raw.split(separator: "\n", omittingEmptySubsequences: false).count
        author = summary.author ?? "-"
        created = summary.date ?? "-"
        modified = summary.modified
        dataSources = summary.dataSources.map { LinkItem(label: $0, href: exploreHref(.dataSource, $0)) }
        hasDataSources = !dataSources.isEmpty
        platforms = summary.platforms.map { LinkItem(label: $0, href: exploreHref(.platform, $0)) }
        hasPlatforms = !platforms.isEmpty
        tags = summary.tags
        hasTags = !tags.isEmpty
        references = rule.metadata.references.map { Reference(label: $0, url: HTML.isWebURL($0) ? $0 : nil) }
        hasReferences = !references.isEmpty
        path = DetectionView.displayPath(summary.path)
        jsonHref = "/api/detections/" + FormValues.encode(summary.id)
    }

    /// `https://attack.mitre.org/techniques/T1059/001/` for `T1059.001`.
    static func attackURL(technique: String) -> String {
        "https://attack.mitre.org/techniques/" + technique.replacingOccurrences(of: ".", with: "/") + "/"
    }

    /// The rule file relative to its rule tree when recognisable (`rules/cloud/aws/…`, the pack's
    /// `rules/aws/…`), else the path as loaded.
    static func displayPath(_ path: String) -> String {
        if let range = path.range(of: "/Resources/rules/") { return "built-in: " + path[range.upperBound...] }
        if let range = path.range(of: "/rules/", options: .backwards) { return "rules/" + path[range.upperBound...] }
        return path
    }
}

/// Everything a detection page and `/api/detections/{id}` show about one detection.
struct DetectionDetail {
    var summary: DetectionSummary
    var rule: SigmaRule
    var catalog: Catalog
    var queryText: String
    var filters: [SigmaFilter]
    var documentationMarkdown: String?
    var documentationHTML: String?
    var fixtures: [FixtureResults.Case]
    /// Nil when no SQL converter is plugged in.
    var sql: [DetectionSQL]?

    init?(id: String, site: Site) {
        guard let summary = site.catalog.summary(id: id), let rule = site.catalog.rule(id: id) else { return nil }
        self.summary = summary
        self.rule = rule
        catalog = site.catalog.catalog
        filters = site.catalog.filters(for: rule)
        queryText = CatalogPage(rule: rule, filters: filters, catalog: catalog).detectionQueryText
        documentationHTML = site.documentation[summary.id]
        documentationMarkdown = documentationHTML == nil ? nil : BuiltinPack.documentation(for: rule)
        fixtures = rule.metadata.id.map { site.fixtures.cases(forRuleID: $0) } ?? []
        sql = site.sqlProvider.map { $0(rule) }
    }
}
