/// Everything a `RuleLoader` produced: the documents that loaded, and a diagnostic for each problem.
///
/// A rejected document appears only as its error diagnostics; every other document of the same file or
/// tree is kept.
public struct RuleCollection: Sendable {
    /// Detection rules, in load order (files in sorted path order, documents in file order).
    public var rules: [SigmaRule]
    /// Correlation rules, in load order.
    public var correlations: [SigmaCorrelation]
    /// Filter documents, in load order.
    public var filters: [SigmaFilter]
    /// Errors (each rejected a document) and warnings, sorted by location.
    public var diagnostics: [Diagnostic]
    /// Files read (or attempted).
    public var filesRead: Int
    /// Documents rejected by an error (a file that could not be read at all counts as one).
    public var documentsRejected: Int

    /// An empty collection.
    public init(
        rules: [SigmaRule] = [], correlations: [SigmaCorrelation] = [], filters: [SigmaFilter] = [],
        diagnostics: [Diagnostic] = [], filesRead: Int = 0, documentsRejected: Int = 0
    ) {
        self.rules = rules
        self.correlations = correlations
        self.filters = filters
        self.diagnostics = diagnostics
        self.filesRead = filesRead
        self.documentsRejected = documentsRejected
    }

    /// The error diagnostics.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    /// The warning diagnostics.
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// Appends another collection (its documents after this one's). References are not re-validated.
    public mutating func merge(_ other: RuleCollection) {
        rules += other.rules
        correlations += other.correlations
        filters += other.filters
        diagnostics = Self.sorted(diagnostics + other.diagnostics)
        filesRead += other.filesRead
        documentsRejected += other.documentsRejected
    }

    /// The detection rule with this id (any UUID spelling: case, braces and dashes do not matter).
    public func rule(withID id: String) -> SigmaRule? {
        guard let normalized = RuleIdentifier.normalizedUUID(id) else { return nil }
        return rules.first { $0.metadata.id == normalized }
    }

    /// The detection rules with this `name` (MD-03 makes it unique within one load).
    public func rules(named name: String) -> [SigmaRule] {
        rules.filter { $0.metadata.name == name }
    }

    /// The correlation with this id.
    public func correlation(withID id: String) -> SigmaCorrelation? {
        guard let normalized = RuleIdentifier.normalizedUUID(id) else { return nil }
        return correlations.first { $0.metadata.id == normalized }
    }

    /// The correlations with this `name`.
    public func correlations(named name: String) -> [SigmaCorrelation] {
        correlations.filter { $0.metadata.name == name }
    }

    /// What a reference from a correlation (`rules`, COR-03) or a filter (`filter.rules`, FLT-02) names.
    public enum ReferenceTarget: Sendable, Hashable {
        case rule(SigmaRule)
        case correlation(SigmaCorrelation)
    }

    /// Resolves a reference as pySigma does: a reference that parses as a UUID is looked up only by id,
    /// anything else only by `name`. Titles are never resolved.
    public func resolve(reference: String) -> ReferenceTarget? {
        if RuleIdentifier.normalizedUUID(reference) != nil {
            if let rule = rule(withID: reference) { return .rule(rule) }
            if let correlation = correlation(withID: reference) { return .correlation(correlation) }
            return nil
        }
        if let rule = rules(named: reference).first { return .rule(rule) }
        if let correlation = correlations(named: reference).first { return .correlation(correlation) }
        return nil
    }

    /// The detection rules a filter applies to by its `rules` list and logsource (FLT-02, FLT-03).
    public func rules(targetedBy filter: SigmaFilter) -> [SigmaRule] {
        rules.filter { rule in
            guard filter.logsource.isContained(in: rule.logsource) else { return false }
            switch filter.target {
            case .anyRule: return true
            case .rules(let references):
                return references.contains { reference in
                    if case .rule(let target)? = resolve(reference: reference) {
                        return target.origin == rule.origin
                    }
                    return false
                }
            }
        }
    }

    /// Whether a detection rule raises alerts of its own (COR-08): false as soon as any correlation with
    /// `generate: false` references it (pySigma's `disable_output` sticks), true otherwise.
    public func producesOwnAlerts(_ rule: SigmaRule) -> Bool {
        !correlations.contains { correlation in
            !correlation.generate
                && correlation.rules.contains { reference in
                    if case .rule(let target)? = resolve(reference: reference) { return target.origin == rule.origin }
                    return false
                }
        }
    }

    /// Whether a correlation raises alerts of its own: false when a correlation with `generate: false`
    /// chains it (COR-08, COR-18).
    public func producesOwnAlerts(_ correlation: SigmaCorrelation) -> Bool {
        !correlations.contains { parent in
            !parent.generate
                && parent.rules.contains { reference in
                    if case .correlation(let target)? = resolve(reference: reference) {
                        return target.origin == correlation.origin
                    }
                    return false
                }
        }
    }

    static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case (nil, nil): return a.offset < b.offset
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?): return x == y ? a.offset < b.offset : x < y
            }
        }.map(\.element)
    }
}

/// Rule identifiers (MD-02).
enum RuleIdentifier {
    /// Python's `UUID()` reading: optional `urn:`/`uuid:` prefix and braces, dashes ignored, 32 hex digits,
    /// any case. Returns the canonical lower-case 8-4-4-4-12 form.
    static func normalizedUUID(_ text: String) -> String? {
        // On UTF-8 bytes: this runs for every rule id and reference when thousands of rules load.
        var bytes = Array(text.utf8)[...]
        for prefix in ["urn:", "uuid:"] where bytes.starts(with: prefix.utf8) {
            bytes = bytes.dropFirst(prefix.utf8.count)
        }
        while bytes.first == UInt8(ascii: "{") { bytes = bytes.dropFirst() }
        while bytes.last == UInt8(ascii: "}") { bytes = bytes.dropLast() }
        var hex: [UInt8] = []
        hex.reserveCapacity(36)
        for byte in bytes where byte != UInt8(ascii: "-") {
            let lower = byte &- 0x41 < 26 ? byte | 0x20 : byte
            guard lower &- 0x30 < 10 || lower &- 0x61 < 6, hex.count < 32 else { return nil }
            hex.append(lower)
        }
        guard hex.count == 32 else { return nil }
        for dash in [8, 13, 18, 23] { hex.insert(UInt8(ascii: "-"), at: dash) }
        return String(decoding: hex, as: UTF8.self)
    }
}
