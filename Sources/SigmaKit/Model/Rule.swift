/// `level` of a rule (MD-05).
public enum Level: String, Sendable, Hashable, CaseIterable, Comparable {
    case informational, low, medium, high, critical

    public var rank: Int { Level.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
}

/// `status` of a rule (MD-04).
public enum Status: String, Sendable, Hashable, CaseIterable {
    case stable, test, experimental, deprecated, unsupported
}

/// `logsource` (LS-01): category/product/service/definition plus any custom keys.
public struct LogSource: Sendable, Hashable {
    public var category: String?
    public var product: String?
    public var service: String?
    public var definition: String?
    public var custom: [String: String]

    public init(
        category: String? = nil, product: String? = nil, service: String? = nil, definition: String? = nil,
        custom: [String: String] = [:]
    ) {
        self.category = category
        self.product = product
        self.service = service
        self.definition = definition
        self.custom = custom
    }

    /// pySigma containment (FLT-03): every attribute that `self` sets equals the other's.
    public func isContained(in other: LogSource) -> Bool {
        (category == nil || category == other.category) && (product == nil || product == other.product)
            && (service == nil || service == other.service)
    }
}

/// `related` entry (MD-08).
public struct RelatedRule: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case derived, obsolete, merged, renamed, similar, correlation
    }
    public var id: String
    public var type: Kind
    public init(id: String, type: Kind) {
        self.id = id
        self.type = type
    }
}

/// A generic YAML value, for custom attributes that the engine keeps but does not interpret (MD-11).
public indirect enum YAMLValue: Sendable, Hashable {
    case scalar(RuleScalar)
    case sequence([YAMLValue])
    case mapping([(key: String, value: YAMLValue)])

    public static func == (a: YAMLValue, b: YAMLValue) -> Bool {
        switch (a, b) {
        case (.scalar(let x), .scalar(let y)): return x == y
        case (.sequence(let x), .sequence(let y)): return x == y
        case (.mapping(let x), .mapping(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .scalar(let s): hasher.combine(0); hasher.combine(s)
        case .sequence(let s): hasher.combine(1); hasher.combine(s)
        case .mapping(let m):
            hasher.combine(2)
            for (k, v) in m { hasher.combine(k); hasher.combine(v) }
        }
    }
}

/// Where a document came from, with its raw text for display (`rules show`, the catalog's "Raw content").
public struct RuleOrigin: Sendable, Hashable {
    /// The file path as given to the loader (or `<memory>`).
    public var path: String
    /// 0-based index of the YAML document inside the file.
    public var documentIndex: Int
    /// The document's own YAML text, exactly as written.
    public var rawText: String
    /// Position of the document's first line.
    public var location: SourceLocation

    public init(path: String, documentIndex: Int, rawText: String, location: SourceLocation) {
        self.path = path
        self.documentIndex = documentIndex
        self.rawText = rawText
        self.location = location
    }
}

/// Metadata shared by rules, correlations and filters.
public struct RuleMetadata: Sendable, Hashable {
    public var title: String
    /// Lower-case UUID text (MD-02), normalised.
    public var id: String?
    public var name: String?
    public var status: Status?
    public var level: Level?
    public var description: String?
    public var author: String?
    /// `YYYY-MM-DD` as written (after normalising the legacy `YYYY/M/D` form).
    public var date: String?
    public var modified: String?
    public var references: [String]
    public var tags: [String]
    public var related: [RelatedRule]
    public var fields: [String]
    public var falsePositives: [String]
    public var license: String?
    public var scope: [String]
    public var taxonomy: String
    /// Unknown top-level keys, kept in order (MD-11).
    public var customAttributes: [(key: String, value: YAMLValue)]

    public init(title: String) {
        self.title = title
        self.references = []
        self.tags = []
        self.related = []
        self.fields = []
        self.falsePositives = []
        self.scope = []
        self.taxonomy = "sigma"
        self.customAttributes = []
    }

    public static func == (a: RuleMetadata, b: RuleMetadata) -> Bool {
        a.title == b.title && a.id == b.id && a.name == b.name && a.status == b.status && a.level == b.level
            && a.description == b.description && a.author == b.author && a.date == b.date
            && a.modified == b.modified && a.references == b.references && a.tags == b.tags
            && a.related == b.related && a.fields == b.fields && a.falsePositives == b.falsePositives
            && a.license == b.license && a.scope == b.scope && a.taxonomy == b.taxonomy
            && a.customAttributes.count == b.customAttributes.count
            && zip(a.customAttributes, b.customAttributes).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(title)
        hasher.combine(id)
    }
}

/// A Sigma detection rule.
public struct SigmaRule: Sendable, Hashable {
    public var metadata: RuleMetadata
    public var logsource: LogSource
    /// The search identifiers in the order they were written.
    public var detections: [Detection]
    /// The conditions (CND-09: a list is OR), as parsed (selectors not yet resolved).
    public var conditions: [ConditionExpression]
    /// The conditions' source text, for display.
    public var conditionTexts: [String]
    public var origin: RuleOrigin

    public init(
        metadata: RuleMetadata, logsource: LogSource, detections: [Detection], conditions: [ConditionExpression],
        conditionTexts: [String], origin: RuleOrigin
    ) {
        self.metadata = metadata
        self.logsource = logsource
        self.detections = detections
        self.conditions = conditions
        self.conditionTexts = conditionTexts
        self.origin = origin
    }

    public var title: String { metadata.title }
    public var id: String? { metadata.id }
    public var level: Level? { metadata.level }
}

/// Correlation types (COR-02).
public enum CorrelationType: String, Sendable, Hashable, CaseIterable {
    case eventCount = "event_count"
    case valueCount = "value_count"
    case temporal
    case temporalOrdered = "temporal_ordered"
    case valueSum = "value_sum"
    case valueAvg = "value_avg"
    case valuePercentile = "value_percentile"
    case valueMedian = "value_median"
}

/// The `condition` of a correlation (COR-06).
public enum CorrelationCondition: Sendable, Hashable {
    /// One operator and a threshold; `field` names the value field; `percentile` for value_percentile.
    case threshold(ComparisonOperator, Double, field: [String], percentile: Double?)
    /// A `neq` threshold (kept apart because `ComparisonOperator` has no `neq`).
    case notEqual(Double, field: [String], percentile: Double?)
    /// The extended string form for temporal types (`failed and not ok`).
    case expression(ConditionExpression)
}

/// A correlation rule (§15).
public struct SigmaCorrelation: Sendable, Hashable {
    public var metadata: RuleMetadata
    public var type: CorrelationType
    /// Referenced rules, by id or name (COR-03).
    public var rules: [String]
    public var groupBy: [String]
    /// Window length in seconds.
    public var timespan: Int
    public var condition: CorrelationCondition
    /// alias → (rule reference → field) (COR-07).
    public var aliases: [String: [String: String]]
    public var generate: Bool
    public var origin: RuleOrigin

    public init(
        metadata: RuleMetadata, type: CorrelationType, rules: [String], groupBy: [String], timespan: Int,
        condition: CorrelationCondition, aliases: [String: [String: String]], generate: Bool, origin: RuleOrigin
    ) {
        self.metadata = metadata
        self.type = type
        self.rules = rules
        self.groupBy = groupBy
        self.timespan = timespan
        self.condition = condition
        self.aliases = aliases
        self.generate = generate
        self.origin = origin
    }
}

/// A Sigma filter (meta-filter) document (§13).
public struct SigmaFilter: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        /// `rules: any` or `rules: []`: every rule whose logsource matches.
        case anyRule
        /// Rule ids or names.
        case rules([String])
    }

    public var metadata: RuleMetadata
    public var logsource: LogSource
    public var target: Target
    public var detections: [Detection]
    public var condition: ConditionExpression
    public var conditionText: String
    public var origin: RuleOrigin

    public init(
        metadata: RuleMetadata, logsource: LogSource, target: Target, detections: [Detection],
        condition: ConditionExpression, conditionText: String, origin: RuleOrigin
    ) {
        self.metadata = metadata
        self.logsource = logsource
        self.target = target
        self.detections = detections
        self.condition = condition
        self.conditionText = conditionText
        self.origin = origin
    }
}
