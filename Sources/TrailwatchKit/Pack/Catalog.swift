import CloudTrail
import Foundation
import SigmaKit

/// Catalog metadata of a detection, as the catalog pages show it: type, data sources, platforms, ATT&CK names.
///
/// `type` comes from the pack's `rules/catalog.json` (rule id → type, data sources, platforms), because the
/// seed rule must stay verbatim and Sigma has no such attribute. Rules not listed there get derived values:
/// `Alert` for level high/critical, `Hunting` otherwise; data source `<product><service>` (e.g. `awscloudtrail`)
/// and platform `<product>` from the logsource. See `Resources/rules/CATALOG.md`.
public struct CatalogEntry: Sendable, Hashable {
    public var type: String
    public var dataSources: [String]
    public var platforms: [String]
}

/// The pack's catalog metadata and the ATT&CK name table.
public struct Catalog: Sendable {
    public var entries: [String: CatalogEntry]
    /// Tactic short name (`initial-access`) → (id, name).
    public var tactics: [String: (id: String, name: String)]
    /// Technique id (`T1190`) → name.
    public var techniques: [String: String]
    public var attackVersion: String?

    /// The catalog shipped with Trailwatch (empty if the resources are missing).
    public static let builtin: Catalog = Catalog.load(
        catalog: BuiltinPack.rulesDirectory?.appendingPathComponent("catalog.json"),
        attack: Bundle.module.resourceURL?.appendingPathComponent("attack/attack-enterprise.json"))

    public init(entries: [String: CatalogEntry] = [:], tactics: [String: (id: String, name: String)] = [:],
                techniques: [String: String] = [:], attackVersion: String? = nil) {
        self.entries = entries
        self.tactics = tactics
        self.techniques = techniques
        self.attackVersion = attackVersion
    }

    static func load(catalog: URL?, attack: URL?) -> Catalog {
        var result = Catalog()
        let scanner = JSONScanner()
        if let catalog, let data = try? Data(contentsOf: catalog) {
            _ = try? scanner.parse(Array(data)) { root in
                root.forEachMember { key, value in
                    guard let id = key.string else { return }
                    var sources: [String] = []
                    value["dataSources"]?.forEachElement { if let s = $0.string { sources.append(s) } }
                    var platforms: [String] = []
                    value["platforms"]?.forEachElement { if let s = $0.string { platforms.append(s) } }
                    result.entries[id.lowercased()] = CatalogEntry(
                        type: value["type"]?.string ?? "Hunting", dataSources: sources, platforms: platforms)
                }
            }
        }
        if let attack, let data = try? Data(contentsOf: attack) {
            _ = try? scanner.parse(Array(data)) { root in
                result.attackVersion = root["version"]?.string
                root["tactics"]?.forEachMember { key, value in
                    guard let name = key.string, let id = value["id"]?.string, let title = value["name"]?.string
                    else { return }
                    result.tactics[name] = (id, title)
                }
                root["techniques"]?.forEachMember { key, value in
                    if let id = key.string, let name = value.string { result.techniques[id] = name }
                }
            }
        }
        return result
    }

    /// The entry for a rule: from catalog.json, else derived from its level and logsource.
    public func entry(for rule: SigmaRule) -> CatalogEntry {
        if let id = rule.metadata.id, let entry = entries[id] { return entry }
        let level = rule.level ?? .medium
        let source = [rule.logsource.product, rule.logsource.service, rule.logsource.category].compactMap { $0 }
            .joined()
        return CatalogEntry(
            type: level >= .high ? "Alert" : "Hunting", dataSources: source.isEmpty ? [] : [source],
            platforms: rule.logsource.product.map { [$0] } ?? [])
    }

    /// `Initial Access (TA0001)` for `initial-access`, or the tag itself when unknown.
    public func tacticLabel(_ shortName: String) -> String {
        tactics[shortName].map { "\($0.name) (\($0.id))" } ?? shortName
    }

    /// `T1190 Exploit Public-Facing Application`, or the id alone when unknown.
    public func techniqueLabel(_ id: String) -> String {
        techniques[id].map { "\(id) \($0)" } ?? id
    }
}
