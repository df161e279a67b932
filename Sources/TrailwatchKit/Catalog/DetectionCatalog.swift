import SigmaKit

/// One detection as the catalog lists it: the facts Explore shows, filters and sorts on, computed once at load.
public struct DetectionSummary: Sendable, Hashable {
    /// The id used in links: the rule's `id` (lower-case UUID), or `path-<hash>` for a rule without one.
    public var id: String
    public var title: String
    public var level: Level?
    /// `Alert` or `Hunting` (see `Resources/rules/CATALOG.md`).
    public var type: String
    public var status: Status?
    /// ATT&CK tactic short names (`initial-access`), in kill-chain order of the tags.
    public var tactics: [String]
    /// ATT&CK technique ids (`T1190`).
    public var techniques: [String]
    public var dataSources: [String]
    public var platforms: [String]
    public var tags: [String]
    public var author: String?
    /// `date` as written (`2024-07-11`).
    public var date: String?
    public var modified: String?
    public var description: String?
    /// The rule file.
    public var path: String

    /// Lower-cased UTF-8 of everything text search looks at.
    let searchBytes: [UInt8]
    let titleBytes: [UInt8]
}

/// A facet of Explore: a property a detection is filtered and counted by.
public enum CatalogFacet: String, Sendable, Hashable, CaseIterable {
    case level, type, status, tactic
    case dataSource = "source"
    case platform

    /// The heading shown above the facet's values.
    public var title: String {
        switch self {
        case .level: "Level"
        case .type: "Type"
        case .status: "Status"
        case .tactic: "ATT&CK tactic"
        case .dataSource: "Data source"
        case .platform: "Platform"
        }
    }

    /// The values a detection has for this facet (`unset` when the rule does not say).
    public func values(of summary: DetectionSummary) -> [String] {
        switch self {
        case .level: [summary.level?.rawValue ?? "unset"]
        case .type: [summary.type]
        case .status: [summary.status?.rawValue ?? "unset"]
        case .tactic: summary.tactics
        case .dataSource: summary.dataSources
        case .platform: summary.platforms
        }
    }
}

/// How Explore orders its results.
public enum CatalogSort: String, Sendable, Hashable, CaseIterable {
    /// Title matches first, then title order (the default with a search text).
    case relevance
    /// Title, A to Z (the default without a search text).
    case title
    /// Most severe first.
    case level
    /// Most recently modified (or created) first.
    case modified
    /// Most recently created first.
    case created

    /// The label of the sort menu.
    public var label: String {
        switch self {
        case .relevance: "Relevance"
        case .title: "Title"
        case .level: "Level (most severe first)"
        case .modified: "Last modified"
        case .created: "Newest"
        }
    }
}

/// What Explore asks: a search text, facet selections, an order and a page.
///
/// Within one facet the selected values are alternatives (`level=high` or `level=critical`); across facets
/// they all apply.
public struct CatalogQuery: Sendable, Hashable {
    /// Words that must all appear (case-insensitive) in the title, id, description, tags, author, log source
    /// or file name.
    public var text: String
    public var selections: [CatalogFacet: Set<String>]
    /// Nil: relevance with a search text, title without.
    public var sort: CatalogSort?
    /// 1-based.
    public var page: Int
    public var pageSize: Int

    /// The largest page size accepted.
    public static let maxPageSize = 200

    public init(
        text: String = "", selections: [CatalogFacet: Set<String>] = [:], sort: CatalogSort? = nil, page: Int = 1,
        pageSize: Int = 50
    ) {
        self.text = text
        self.selections = selections
        self.sort = sort
        self.page = page
        self.pageSize = pageSize
    }

    /// The order used: `sort`, else relevance when there is a search text, else title.
    public var effectiveSort: CatalogSort {
        sort ?? (text.trimmingSpaces().isEmpty ? .title : .relevance)
    }
}

/// One value of a facet with the number of detections it would give.
public struct FacetCount: Sendable, Hashable {
    public var value: String
    /// The text shown (`Initial Access (TA0001)` for `initial-access`).
    public var label: String
    /// Detections matching the search and every other facet's selection that have this value.
    public var count: Int
    public var isSelected: Bool
}

/// One page of Explore.
public struct CatalogSearchResult: Sendable {
    /// Detections matching the query (all pages).
    public var total: Int
    /// The page returned (clamped to `1...pageCount`).
    public var page: Int
    public var pageCount: Int
    public var pageSize: Int
    public var sort: CatalogSort
    public var items: [DetectionSummary]
    /// Every facet's values, in display order (severity, kill chain, or most frequent first).
    public var facets: [(facet: CatalogFacet, values: [FacetCount])]
}

/// The loaded detections, indexed for Explore: search, facets with counts, sorting and paging.
///
/// Rules are deduplicated by id (the first loaded wins, so the built-in pack's copy of a rule shadows the same
/// rule in a `--rules` tree); the shadowed copies are listed in ``shadowed``.
public struct DetectionCatalog: Sendable {
    /// The rules kept (duplicates removed), with every filter and correlation loaded.
    public let collection: RuleCollection
    /// One summary per rule of ``collection``, same order.
    public let summaries: [DetectionSummary]
    /// Rules dropped because an earlier rule has the same id: (id, file).
    public let shadowed: [(id: String, path: String)]
    /// ATT&CK names and catalog metadata.
    public let catalog: Catalog

    private let indexByID: [String: Int]
    /// Position of each summary in title order.
    private let titleRank: [Int]
    /// Per facet: the distinct values, and per summary the indexes of its values (so a query counts with
    /// integers, not strings).
    private let facetValueNames: [[String]]
    private let facetValueIDs: [[[Int]]]

    /// Indexes `collection` (rules without an id get a stable `path-…` id).
    public init(collection: RuleCollection, catalog: Catalog = .builtin) {
        var kept = collection
        kept.rules = []
        var summaries: [DetectionSummary] = []
        var indexByID: [String: Int] = [:]
        var shadowed: [(id: String, path: String)] = []
        for rule in collection.rules {
            let id = rule.metadata.id ?? DetectionCatalog.syntheticID(for: rule)
            if indexByID[id] != nil {
                shadowed.append((id, rule.origin.path))
                continue
            }
            indexByID[id] = summaries.count
            kept.rules.append(rule)
            summaries.append(DetectionCatalog.summarize(rule, id: id, catalog: catalog))
        }
        self.collection = kept
        self.summaries = summaries
        self.shadowed = shadowed
        self.catalog = catalog
        self.indexByID = indexByID
        let order = summaries.indices.sorted { DetectionCatalog.titleOrder(summaries[$0], summaries[$1]) }
        var rank = [Int](repeating: 0, count: summaries.count)
        for (position, index) in order.enumerated() { rank[index] = position }
        self.titleRank = rank
        var names: [[String]] = []
        var ids: [[[Int]]] = []
        for facet in CatalogFacet.allCases {
            var table: [String: Int] = [:]
            var facetNames: [String] = []
            ids.append(summaries.map { summary in
                facet.values(of: summary).map { value in
                    if let id = table[value] { return id }
                    table[value] = facetNames.count
                    facetNames.append(value)
                    return facetNames.count - 1
                }
            })
            names.append(facetNames)
        }
        facetValueNames = names
        facetValueIDs = ids
    }

    /// The summary with this id (case-insensitive).
    public func summary(id: String) -> DetectionSummary? {
        indexByID[id.lowercased()].map { summaries[$0] }
    }

    /// The rule with this id (case-insensitive).
    public func rule(id: String) -> SigmaRule? {
        indexByID[id.lowercased()].map { collection.rules[$0] }
    }

    /// The loaded filters that apply to `rule` (FLT-02/03).
    public func filters(for rule: SigmaRule) -> [SigmaFilter] {
        collection.filters.filter { RuleSet.filter($0, appliesTo: rule) }
    }

    /// Runs an Explore query.
    /// - Complexity: O(n × (search words + facets)) plus sorting the matches, n the number of detections.
    public func search(_ query: CatalogQuery) -> CatalogSearchResult {
        let words = query.text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            .map { Array($0.utf8) }
        let facets = CatalogFacet.allCases
        let selections = facets.map { query.selections[$0].flatMap { $0.isEmpty ? nil : $0 } }
        // The selected values as ids (a selected value no detection has matches nothing).
        let selectedIDs: [[Bool]?] = facets.indices.map { f in
            selections[f].map { selected in facetValueNames[f].map(selected.contains) }
        }
        // Disjunctive faceting: a facet's counts come from the detections that pass the search and every
        // *other* facet, so a user sees what picking another value of the same facet would give.
        var counts = facetValueNames.map { [Int](repeating: 0, count: $0.count) }
        var matches: [Int] = []
        // Per summary: how many search words its title contains (relevance order only).
        let ranksByRelevance = query.effectiveSort == .relevance
        var scores = [Int](repeating: 0, count: ranksByRelevance ? summaries.count : 0)
        for index in summaries.indices {
            if !words.isEmpty {
                let bytes = summaries[index].searchBytes
                guard words.allSatisfy({ DetectionCatalog.contains(bytes, $0) }) else { continue }
            }
            var failed = -1
            var failures = 0
            for f in facets.indices {
                guard let selected = selectedIDs[f] else { continue }
                if !facetValueIDs[f][index].contains(where: { selected[$0] }) {
                    failures += 1
                    failed = f
                    if failures > 1 { break }
                }
            }
            if failures > 1 { continue }
            if failures == 1 {
                for value in facetValueIDs[failed][index] { counts[failed][value] += 1 }
                continue
            }
            matches.append(index)
            for f in facets.indices {
                for value in facetValueIDs[f][index] { counts[f][value] += 1 }
            }
            if ranksByRelevance {
                let title = summaries[index].titleBytes
                var score = 0
                for word in words where DetectionCatalog.contains(title, word) { score += 1 }
                scores[index] = score
            }
        }
        sort(&matches, by: query.effectiveSort, scores: scores)
        let pageSize = min(max(1, query.pageSize), CatalogQuery.maxPageSize)
        let pageCount = max(1, (matches.count + pageSize - 1) / pageSize)
        let page = min(max(1, query.page), pageCount)
        let start = (page - 1) * pageSize
        let items = matches[min(start, matches.count)..<min(start + pageSize, matches.count)].map { summaries[$0] }
        let facetLists = facets.enumerated().map { f, facet in
            var byName: [String: Int] = [:]
            for (id, name) in facetValueNames[f].enumerated() where counts[f][id] > 0 { byName[name] = counts[f][id] }
            return (facet, facetValues(facet, counts: byName, selected: selections[f] ?? []))
        }
        return CatalogSearchResult(
            total: matches.count, page: page, pageCount: pageCount, pageSize: pageSize, sort: query.effectiveSort,
            items: items, facets: facetLists)
    }

    private func sort(_ matches: inout [Int], by order: CatalogSort, scores: [Int]) {
        let rank = titleRank
        switch order {
        case .title:
            matches.sort { rank[$0] < rank[$1] }
        case .relevance:
            // Negated score first, then title rank: a plain key comparison.
            let keyed = matches.map { (-scores[$0], rank[$0], $0) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            matches = keyed.map(\.2)
        case .level:
            matches.sort { a, b in
                let (la, lb) = (summaries[a].level?.rank ?? -1, summaries[b].level?.rank ?? -1)
                return la != lb ? la > lb : rank[a] < rank[b]
            }
        case .modified, .created:
            func key(_ i: Int) -> String {
                let s = summaries[i]
                return (order == .modified ? s.modified ?? s.date : s.date) ?? ""
            }
            matches.sort { a, b in
                let (ka, kb) = (key(a), key(b))
                return ka != kb ? ka > kb : rank[a] < rank[b]
            }
        }
    }

    private func facetValues(_ facet: CatalogFacet, counts: [String: Int], selected: Set<String>) -> [FacetCount] {
        // A selected value stays listed (with 0) so it can be unticked.
        var all = counts
        for value in selected where all[value] == nil { all[value] = 0 }
        let order: [String]?
        switch facet {
        case .level: order = Level.allCases.reversed().map(\.rawValue) + ["unset"]
        case .status: order = Status.allCases.map(\.rawValue) + ["unset"]
        case .tactic: order = AttackTags.tacticOrder
        default: order = nil
        }
        let values: [String]
        if let order {
            values = all.keys.sorted { (order.firstIndex(of: $0) ?? Int.max, $0) < (order.firstIndex(of: $1) ?? Int.max, $1) }
        } else {
            values = all.keys.sorted { (all[$0] ?? 0, $1) > (all[$1] ?? 0, $0) }
        }
        return values.map { value in
            FacetCount(
                value: value, label: facet == .tactic ? catalog.tacticLabel(value) : value, count: all[value] ?? 0,
                isSelected: selected.contains(value))
        }
    }

    static func summarize(_ rule: SigmaRule, id: String, catalog: Catalog) -> DetectionSummary {
        let meta = rule.metadata
        let entry = catalog.entry(for: rule)
        let fileName = rule.origin.path.split(separator: "/").last.map(String.init) ?? ""
        let logsource = [rule.logsource.product, rule.logsource.service, rule.logsource.category].compactMap { $0 }
        let searchable = [meta.title, id, meta.name ?? "", meta.description ?? "", meta.author ?? "", fileName]
            + meta.tags + logsource + entry.dataSources + AttackTags.tactics(in: meta.tags).map(catalog.tacticLabel)
        return DetectionSummary(
            id: id, title: meta.title, level: meta.level, type: entry.type, status: meta.status,
            tactics: AttackTags.tactics(in: meta.tags), techniques: AttackTags.techniques(in: meta.tags),
            dataSources: entry.dataSources, platforms: entry.platforms, tags: meta.tags, author: meta.author,
            date: meta.date, modified: meta.modified, description: meta.description, path: rule.origin.path,
            searchBytes: Array(searchable.joined(separator: "\n").lowercased().utf8),
            titleBytes: Array(meta.title.lowercased().utf8))
    }

    /// `path-` and 16 hex digits of a 64-bit FNV-1a hash of the file and document index: stable across runs.
    static func syntheticID(for rule: SigmaRule) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(rule.origin.path)#\(rule.origin.documentIndex)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "path-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func titleOrder(_ a: DetectionSummary, _ b: DetectionSummary) -> Bool {
        let (ta, tb) = (a.title.lowercased(), b.title.lowercased())
        return ta != tb ? ta < tb : a.id < b.id
    }

    /// Byte substring search (the needle is short; a first-byte scan is enough for a few thousand rules).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard needle.count <= haystack.count else { return false }
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                var i = 0
                let last = h.count - n.count
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count && h[i + j] == n[j] { j += 1 }
                        if j == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
