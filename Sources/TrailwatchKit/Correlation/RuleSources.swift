import Foundation
import SigmaKit

/// Loading the documents of a scan: the built-in pack and the `--rules` trees in one load (so that a user's
/// correlation can reference a pack rule by id or name, COR-20), filters from `--filters` trees, and the
/// blunt tools `--ignore-rule` / `--ignore-file`.
public enum RuleSources {
    /// What was loaded, minus what was ignored.
    public struct Loaded: Sendable {
        public var collection: RuleCollection
        /// Why a reference that no longer resolves is absent, by id and name ("ignored by --ignore-rule").
        public var absentReasons: [String: String]
        /// Titles of the documents ignored.
        public var ignored: [String]
    }

    /// Loads pack (optionally), rule trees and filter trees in one load. Documents of a filter tree that are
    /// not filters are left out with a warning. Ignored documents are removed.
    public static func load(
        builtin: Bool, ruleTrees: [String], filterTrees: [String], ignore: IgnoreList = IgnoreList(),
        options: LoaderOptions = .init()
    ) throws(ScanSetupError) -> Loaded {
        for tree in ruleTrees + filterTrees where !FileManager.default.fileExists(atPath: tree) {
            throw ScanSetupError("rule path '\(tree)' does not exist")
        }
        var paths: [String] = []
        var packMissing = false
        if builtin {
            if let directory = BuiltinPack.rulesDirectory?.path {
                paths.append(directory)
            } else {
                packMissing = true
            }
        }
        paths += ruleTrees
        paths += filterTrees.filter { !ruleTrees.contains($0) }
        var collection = paths.isEmpty ? RuleCollection() : RuleLoader(options: options).load(paths: paths)
        if packMissing {
            collection.diagnostics.append(
                Diagnostic(
                    severity: .error, code: "unreadable",
                    message: "the built-in rule pack is missing from the installation",
                    location: nil))
        }
        // --filters trees contribute filter documents only.
        let filterOnly = filterTrees.filter { !ruleTrees.contains($0) }
        if !filterOnly.isEmpty {
            func inFilterTree(_ origin: RuleOrigin) -> Bool {
                filterOnly.contains { tree in
                    origin.path == tree || origin.path.hasPrefix(tree.hasSuffix("/") ? tree : tree + "/")
                }
            }
            var warnings: [Diagnostic] = []
            func leftOut(_ kind: String, _ title: String, _ origin: RuleOrigin) {
                warnings.append(
                    Diagnostic(
                        severity: .warning, code: "not-a-filter",
                        message: "'\(title)' is a \(kind), not a filter: --filters loads filter documents only "
                            + "(give its tree with --rules to run it)", location: origin.location))
            }
            collection.rules.removeAll { rule in
                guard inFilterTree(rule.origin) else { return false }
                leftOut("rule", rule.title, rule.origin)
                return true
            }
            collection.correlations.removeAll { correlation in
                guard inFilterTree(correlation.origin) else { return false }
                leftOut("correlation", correlation.metadata.title, correlation.origin)
                return true
            }
            collection.diagnostics += warnings
        }
        return ignore.apply(to: collection)
    }
}

/// Rules, correlations and filters to leave out of a scan, by id, name or title (`--ignore-rule`,
/// `--ignore-file`): for teams that need to silence a rule without editing it.
public struct IgnoreList: Sendable, Hashable {
    /// The entries, each an id (any UUID spelling), a name or a title.
    public var entries: [String]
    /// Where each entry came from (`--ignore-rule` or `file:line`), for the "matches nothing" warning.
    public var sources: [String]

    public init(entries: [String] = [], sources: [String]? = nil) {
        self.entries = entries
        self.sources = sources ?? entries.map { _ in "--ignore-rule" }
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Reads an ignore file: one rule id, name or title per line; blank lines and lines starting with `#`
    /// (after spaces) are skipped; surrounding spaces are trimmed.
    public static func read(path: String) throws(ScanSetupError) -> IgnoreList {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ScanSetupError("--ignore-file '\(path)' cannot be read as UTF-8 text")
        }
        return parse(text, path: path)
    }

    /// Parses the text of an ignore file.
    public static func parse(_ text: String, path: String) -> IgnoreList {
        var list = IgnoreList()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let entry = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if entry.isEmpty || entry.hasPrefix("#") { continue }
            list.entries.append(entry)
            list.sources.append("\(path):\(index + 1)")
        }
        return list
    }

    /// Adds another list's entries.
    public mutating func append(_ other: IgnoreList) {
        entries += other.entries
        sources += other.sources
    }

    func matches(_ metadata: RuleMetadata, entry: String) -> Bool {
        if entry == metadata.title || entry == metadata.name { return true }
        guard let id = metadata.id else { return false }
        return Self.uuidKey(entry) == Self.uuidKey(id)
    }

    /// A UUID written with any case, braces, `urn:uuid:` prefix or dashes, reduced to its 32 hex digits.
    static func uuidKey(_ text: String) -> String? {
        var s = Substring(text.lowercased())
        if s.hasPrefix("urn:") { s = s.dropFirst(4) }
        if s.hasPrefix("uuid:") { s = s.dropFirst(5) }
        let hex = s.filter { $0 != "-" && $0 != "{" && $0 != "}" }
        return hex.count == 32 && hex.allSatisfy(\.isHexDigit) ? hex : nil
    }

    /// Removes the documents the list names; warns about each entry that names nothing.
    func apply(to input: RuleCollection) -> RuleSources.Loaded {
        var collection = input
        var used = [Bool](repeating: false, count: entries.count)
        var reasons: [String: String] = [:]
        var ignored: [String] = []
        func isIgnored(_ metadata: RuleMetadata) -> Bool {
            var hit = false
            for (index, entry) in entries.enumerated() where matches(metadata, entry: entry) {
                used[index] = true
                hit = true
            }
            if hit {
                let reason = "ignored (--ignore-rule / --ignore-file)"
                if let id = metadata.id { reasons[id] = reason }
                if let name = metadata.name { reasons[name] = reason }
                ignored.append(metadata.title)
            }
            return hit
        }
        if !entries.isEmpty {
            collection.rules.removeAll { isIgnored($0.metadata) }
            collection.correlations.removeAll { isIgnored($0.metadata) }
            collection.filters.removeAll { isIgnored($0.metadata) }
            for (index, entry) in entries.enumerated() where !used[index] {
                collection.diagnostics.append(
                    Diagnostic(
                        severity: .warning, code: "ignore-matches-nothing",
                        message: "\(sources[index]): '\(entry)' is not the id, name or title of a loaded rule, "
                            + "correlation or filter; nothing was ignored for it", location: nil))
            }
        }
        return RuleSources.Loaded(collection: collection, absentReasons: reasons, ignored: ignored)
    }
}
