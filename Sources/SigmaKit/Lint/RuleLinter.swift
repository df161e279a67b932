/// Checks loaded documents for likely mistakes that are not load errors (§16, mirroring `sigma check`).
///
/// Every finding is a `.warning` diagnostic with a stable code (see `RuleLinter.Code`), positioned at the
/// offending key or value: the linter re-reads each document's `origin.rawText` for positions.
public struct RuleLinter: Sendable {
    /// Creates a linter.
    public init() {}

    /// Stable codes of the warnings.
    public enum Code: String, Sendable, CaseIterable {
        case missingID = "missing-id"
        case duplicateID = "duplicate-id"
        case duplicateTitle = "duplicate-title"
        case duplicateReference = "duplicate-reference"
        case fileName = "file-name"
        case tagNamespace = "tag-namespace"
        case tagFormat = "tag-format"
        case duplicateTag = "duplicate-tag"
        case unusedDetection = "unused-detection"
        case allOfThem = "all-of-them"
        case themWithSingleDetection = "them-single-detection"
        case doubleWildcard = "double-wildcard"
        case numberAsString = "number-as-string"
        case controlCharacter = "control-character"
        case wildcardInsteadOfModifier = "wildcard-instead-of-modifier"
        case escapedWildcard = "escaped-wildcard"
        case customAttributeTypo = "custom-attribute-typo"
        case modifierCombination = "modifier-combination"
        case allWithSingleValue = "all-single-value"
        case nullInValueList = "null-in-value-list"
        case filterTargetNotFound = "filter-target-not-found"
        case filterLevelOrStatus = "filter-level-status"
        case notLowerCase = "not-lower-case"
        case legacyDate = "legacy-date"
        case descriptionTooLong = "description-too-long"
    }

    /// The warnings for a collection, sorted by location.
    public func lint(_ collection: RuleCollection) -> [Diagnostic] {
        var context = LintContext(collection: collection)
        for rule in collection.rules {
            context.checkDocument(origin: rule.origin, metadata: rule.metadata, kind: .rule)
            context.checkDetections(rule)
        }
        for correlation in collection.correlations {
            context.checkDocument(origin: correlation.origin, metadata: correlation.metadata, kind: .correlation)
            context.checkCorrelation(correlation)
        }
        context.checkGenerateConflicts()
        for filter in collection.filters {
            context.checkDocument(origin: filter.origin, metadata: filter.metadata, kind: .filter)
            context.checkFilter(filter)
            context.checkFilterTargets(filter)
        }
        context.checkFileNames()
        return RuleCollection.sorted(context.warnings)
    }
}

struct LintContext {
    enum Kind { case rule, correlation, filter }

    let collection: RuleCollection
    var warnings: [Diagnostic] = []
    private var firstID: [String: SourceLocation] = [:]
    private var firstTitle: [String: SourceLocation] = [:]

    init(collection: RuleCollection) {
        self.collection = collection
    }

    mutating func warn(_ code: RuleLinter.Code, _ message: String, at location: SourceLocation?) {
        warnings.append(Diagnostic(severity: .warning, code: code.rawValue, message: message, location: location))
    }

    /// Re-reads a document for positions (nil if it no longer parses, which cannot happen for loaded text).
    static func tree(of origin: RuleOrigin) -> YAMLNode? {
        let source = YAMLDocumentSource(
            index: origin.documentIndex, text: origin.rawText, firstLine: origin.location.line,
            rawText: origin.rawText, rawFirstLine: origin.location.line, isEmpty: false)
        let composer = YAMLComposer(path: origin.path, maxNodes: 1_000_000, maxScalarBytes: Int.max)
        return try? composer.compose(source)
    }

    // MARK: - Metadata: LINT-01, LINT-02, §18

    mutating func checkDocument(origin: RuleOrigin, metadata: RuleMetadata, kind: Kind) {
        let tree = Self.tree(of: origin)
        let start = tree?.location ?? origin.location
        func at(_ key: String) -> SourceLocation { tree?[key]?.location ?? start }

        if let id = metadata.id {
            if let first = firstID[id] {
                warn(.duplicateID, "id \(id) is also used by the document at \(first)", at: at("id"))
            } else {
                firstID[id] = at("id")
            }
        } else {
            warn(.missingID, "'\(metadata.title)' has no 'id'; add a UUID so it can be referenced", at: start)
        }
        if let first = firstTitle[metadata.title] {
            warn(
                .duplicateTitle, "the title '\(metadata.title)' is also used by the document at \(first)",
                at: at("title"))
        } else {
            firstTitle[metadata.title] = at("title")
        }

        if let references = tree?["references"]?.sequence {
            var seen: Set<String> = []
            for item in references {
                guard let text = item.scalar?.text else { continue }
                if !seen.insert(text).inserted {
                    warn(.duplicateReference, "reference '\(text)' is listed twice", at: item.location)
                }
            }
        }

        if let tags = tree?["tags"]?.sequence {
            var seen: Set<String> = []
            for item in tags {
                guard let tag = item.string else { continue }
                if !seen.insert(tag).inserted { warn(.duplicateTag, "tag '\(tag)' is listed twice", at: item.location) }
                checkTag(tag, at: item.location)
            }
        }

        for key in ["status", "level"] {
            if let node = tree?[key], let text = node.string, text != text.lowercased() {
                warn(
                    .notLowerCase, "'\(key)' should be written in lower case ('\(text.lowercased())')",
                    at: node.location)
            }
        }
        for key in ["date", "modified"] {
            if let node = tree?[key], let text = node.string, text.contains("/") {
                warn(.legacyDate, "'\(key)' uses the legacy form \(text); write YYYY-MM-DD", at: node.location)
            }
        }
        if let description = metadata.description, description.count > 65_535 {
            warn(
                .descriptionTooLong, "'description' has \(description.count) characters; the schema allows 65,535",
                at: at("description"))
        }
        if kind == .filter {
            for key in ["level", "status"] where tree?[key] != nil {
                warn(
                    .filterLevelOrStatus, "a filter has no '\(key)' (it applies to other rules' alerts)",
                    at: tree?.pair(key)?.keyLocation)
            }
        }
        let standard = DocumentParser.ruleKeys.union(["correlation", "filter", "generate", "action"])
        for pair in tree?.mapping ?? [] where !standard.contains(pair.key) {
            if let match = Self.lookalike(pair.key, in: standard) {
                warn(
                    .customAttributeTypo, "'\(pair.key)' is kept as a custom attribute; did you mean '\(match)'?",
                    at: pair.keyLocation)
            }
        }
    }

    static let tactics: Set<String> = [
        "reconnaissance", "resource-development", "initial-access", "execution", "persistence",
        "privilege-escalation", "defense-evasion", "stealth", "defense-impairment", "credential-access", "discovery",
        "lateral-movement", "collection", "command-and-control", "exfiltration", "impact",
        "inhibit-response-function", "impair-process-control", "evasion",
    ]

    /// MD-07 / LINT-02: namespace and value formats.
    mutating func checkTag(_ tag: String, at location: SourceLocation) {
        guard let dot = tag.firstIndex(of: ".") else { return }
        let namespace = String(tag[..<dot])
        let name = String(tag[tag.index(after: dot)...])
        let general =
            namespace.allSatisfy { $0.isLowercaseASCIIWordish } && !namespace.isEmpty
            && !name.isEmpty && name.allSatisfy { $0.isLowercaseASCIIWordish || $0 == "." }
        if !general {
            warn(.tagFormat, "tag '\(tag)' should match namespace.name in lower case ([a-z0-9_-])", at: location)
            return
        }
        func bad(_ expected: String) { warn(.tagFormat, "tag '\(tag)': \(expected)", at: location) }
        switch namespace {
        case "attack":
            if !(Self.tactics.contains(name) || Self.isAttackID(name)) {
                bad("not an ATT&CK technique, group, software, mitigation, data source or tactic")
            }
        case "car":
            if !Self.matches(name, "dddd-dd-ddd") { bad("CAR ids look like car.2016-04-005") }
        case "cve":
            let parts = name.split(separator: "-")
            if parts.count != 2 || !parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) && !$0.isEmpty }) {
                bad("CVE tags look like cve.2021-44228")
            }
        case "detection":
            if !["dfir", "emerging-threats", "threat-hunting"].contains(name) {
                bad("the detection namespace knows dfir, emerging-threats and threat-hunting")
            }
        case "stp":
            let valid =
                name.count >= 1 && name.count <= 2 && ("1"..."5").contains(name.first ?? "0")
                && (name.count == 1 || "auk".contains(name.last ?? "x"))
            if !valid { bad("STP tags look like stp.1, stp.3k (1-5, then optionally a, u or k)") }
        case "tlp":
            if !["red", "amber", "amber-strict", "green", "clear"].contains(name) {
                bad("TLP levels are red, amber, amber-strict, green and clear")
            }
        case "d3fend":
            break
        default:
            warn(
                .tagNamespace,
                "tag namespace '\(namespace)' is not one of attack, car, cve, d3fend, detection, stp, tlp",
                at: location)
        }
    }

    static func isAttackID(_ name: String) -> Bool {
        matches(name, "tdddd") || matches(name, "tdddd.ddd") || matches(name, "gdddd") || matches(name, "sdddd")
            || matches(name, "mdddd") || matches(name, "dsdddd") || matches(name, "cdddd") || matches(name, "tadddd")
    }

    /// `d` matches a digit, any other character itself.
    static func matches(_ text: String, _ pattern: String) -> Bool {
        guard text.count == pattern.count else { return false }
        return zip(text, pattern).allSatisfy { c, p in p == "d" ? c.isASCIIDigit : c == p }
    }

    /// A standard key that `key` is probably a misspelling of (case, or one or two letters off).
    static func lookalike(_ key: String, in standard: Set<String>) -> String? {
        let lower = key.lowercased()
        if let exact = standard.first(where: { $0 == lower }) { return exact }
        guard key.count >= 4 else { return nil }
        return standard.sorted().first { candidate in
            candidate.count >= 4 && editDistance(lower, candidate, limit: candidate.count >= 8 ? 2 : 1)
        }
    }

    static func editDistance(_ a: String, _ b: String, limit: Int) -> Bool {
        let x = Array(a)
        let y = Array(b)
        guard abs(x.count - y.count) <= limit else { return false }
        var previous = Array(0...y.count)
        for i in 1...max(x.count, 1) where !x.isEmpty {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in 1...max(y.count, 1) where !y.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count] <= limit
    }

    // MARK: - Files (LINT-01)

    mutating func checkFileNames() {
        var paths: [String] = []
        for path in collection.rules.map(\.origin.path) + collection.correlations.map(\.origin.path)
            + collection.filters.map(\.origin.path) where !paths.contains(path) && !path.hasPrefix("<")
        {
            paths.append(path)
        }
        for path in paths {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            guard name.hasSuffix(".yml") else {
                warn(.fileName, "rule files should end in .yml", at: SourceLocation(path: path, line: 1, column: 1))
                continue
            }
            let stem = name.dropLast(4)
            if !(10...70).contains(stem.count) || !stem.allSatisfy({ $0.isLowercaseASCIIWordish && $0 != "-" }) {
                warn(
                    .fileName,
                    "file name '\(name)' should be 10 to 70 characters of a-z, 0-9 and _ before .yml",
                    at: SourceLocation(path: path, line: 1, column: 1))
            }
        }
    }

    // MARK: - Filters (FLT-02)

    mutating func checkFilter(_ filter: SigmaFilter) {
        guard case .rules(let references) = filter.target else { return }
        let tree = Self.tree(of: filter.origin)
        let rulesNode = tree?["filter"]?["rules"]
        for (index, reference) in references.enumerated() {
            if case .rule? = collection.resolve(reference: reference) { continue }
            let location = rulesNode?.sequence?[safe: index]?.location ?? rulesNode?.location ?? filter.origin.location
            var message = "filter '\(filter.metadata.title)' names '\(reference)', which is no loaded rule's id or name"
            if collection.rules.contains(where: { $0.metadata.title == reference }) {
                message += " (titles are not resolved)"
            }
            warn(.filterTargetNotFound, message + "; the filter does nothing for it", at: location)
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    /// `[a-z0-9_-]`
    var isLowercaseASCIIWordish: Bool {
        isASCII && (isLowercase || isNumber || self == "_" || self == "-")
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
