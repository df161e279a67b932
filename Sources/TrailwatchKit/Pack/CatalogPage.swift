import Foundation
import SigmaKit

/// The catalog page of one detection, for the terminal (`trailwatch rules show`): the seed page's elements in
/// its order — badges, title, description, ATT&CK, detection query, author, created, data sources, platforms,
/// tags, false positives — plus the filters that apply and the raw content.
public struct CatalogPage: Sendable {
    public var rule: SigmaRule
    public var filters: [SigmaFilter]
    public var catalog: Catalog
    public var useColor: Bool

    public init(rule: SigmaRule, filters: [SigmaFilter], catalog: Catalog, useColor: Bool = false) {
        self.rule = rule
        self.filters = filters
        self.catalog = catalog
        self.useColor = useColor
    }

    public func render() -> String {
        let meta = rule.metadata
        let entry = catalog.entry(for: rule)
        var out = ""
        func heading(_ text: String) { out += "\n" + bold(text) + "\n" }
        let level = rule.level?.rawValue ?? "unset"
        out += "[sigma] [\(level)] [\(entry.type)]"
        if let status = meta.status { out += " [\(status.rawValue)]" }
        out += "\n\n" + bold(meta.title) + "\n"
        if let id = meta.id { out += "id: \(id)\n" }
        if let description = meta.description {
            out += "\n" + description.trimmingTrailingNewlines() + "\n"
        }
        heading("MITRE ATT&CK")
        let tactics = AttackTags.tactics(in: meta.tags)
        let techniques = AttackTags.techniques(in: meta.tags)
        if tactics.isEmpty && techniques.isEmpty { out += "  (none)\n" }
        for tactic in tactics { out += "  tactic     \(catalog.tacticLabel(tactic))\n" }
        for technique in techniques { out += "  technique  \(catalog.techniqueLabel(technique))\n" }
        heading("Detection Query")
        out += detectionQuery()
        heading("Author")
        out += "  \(meta.author ?? "-")\n"
        heading("Created")
        out += "  \(meta.date ?? "-")" + (meta.modified.map { "   (modified \($0))" } ?? "") + "\n"
        heading("Data Sources")
        out += "  \(entry.dataSources.isEmpty ? "-" : entry.dataSources.joined(separator: ", "))\n"
        heading("Platforms")
        out += "  \(entry.platforms.isEmpty ? "-" : entry.platforms.joined(separator: ", "))\n"
        heading("Tags")
        out += "  \(meta.tags.isEmpty ? "-" : meta.tags.joined(separator: "  "))\n"
        heading("False Positives")
        if meta.falsePositives.isEmpty { out += "  -\n" }
        for item in meta.falsePositives { out += "  - \(item)\n" }
        if !meta.references.isEmpty {
            heading("References")
            for item in meta.references { out += "  - \(item)\n" }
        }
        heading("Filters That Apply")
        if filters.isEmpty { out += "  (none)\n" }
        for filter in filters {
            out += "  - \(filter.metadata.title)" + (filter.metadata.id.map { " (\($0))" } ?? "")
                + ": condition `\(filter.conditionText)`\n"
        }
        heading("Raw Content")
        out += rule.origin.rawText.trimmingTrailingNewlines() + "\n"
        return out
    }

    /// The `detection:` section as written in the rule (selections and condition), from the raw YAML.
    func detectionQuery() -> String {
        let lines = rule.origin.rawText.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("detection:") }) else {
            return "  condition: " + rule.conditionTexts.joined(separator: " | ") + "\n"
        }
        var body: [Substring] = []
        for line in lines[(start + 1)...] {
            if !line.isEmpty && !line.hasPrefix(" ") && !line.hasPrefix("\t") { break }
            body.append(line)
        }
        while body.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { body.removeLast() }
        // Re-indent to two spaces, like the seed page.
        let indent = body.compactMap { line -> Int? in
            let spaces = line.prefix { $0 == " " }.count
            return line.trimmingCharacters(in: .whitespaces).isEmpty ? nil : spaces
        }.min() ?? 0
        return body.map { "  " + String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }
            .joined(separator: "\n") + "\n"
    }

    func bold(_ text: String) -> String { useColor ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
