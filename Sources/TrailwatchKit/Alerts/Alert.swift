import SigmaKit

/// One detection: a rule that matched one CloudTrail event, with the facts a responder reads first.
/// Alerts are small records; the raw event is kept only when asked for (`--include-event`).
public struct Alert: Sendable, Hashable {
    /// The rule's id (or its title when it has none).
    public var ruleID: String
    public var ruleTitle: String
    /// The rule's own level.
    public var level: Level
    /// The level after enrichment (e.g. raised for world-open ingress on a sensitive port); equals `level`
    /// unless an enricher raised it.
    public var effectiveLevel: Level
    public var status: Status?
    public var tags: [String]
    /// `eventTime` as written in the event.
    public var eventTime: String
    /// `eventTime` in milliseconds since the epoch, for sorting; nil when unparsable.
    public var eventTimeMillis: Int64?
    public var eventID: String?
    public var eventSource: String?
    public var eventName: String?
    public var account: String?
    public var region: String?
    /// `userIdentity.arn`, or the identity type when there is no ARN.
    public var identity: String?
    public var identityType: String?
    public var sourceIP: String?
    public var userAgent: String?
    /// The call's `errorCode`, nil for a successful call.
    public var errorCode: String?
    public var errorMessage: String?
    /// Where the event was read from (file path and line, or `-` for stdin).
    public var origin: String?
    /// One-line, human explanation of what changed (from an enricher), nil when none applies.
    public var summary: String?
    /// Structured enrichment fields, rendered into JSON output under `enrichment`.
    public var enrichment: [(key: String, value: JSONRecord)]
    /// The whole event as it was read (JSON text), only with `--include-event`.
    public var rawEvent: String?
    /// Set for a correlation alert: group, window, measured value and contributing events (then `eventID` is nil).
    public var correlation: CorrelationDetails?

    /// - Parameters:
    ///   - tactics: ATT&CK tactics, when the caller has them precomputed for the rule; derived from `tags`
    ///     otherwise (likewise `techniques`).
    public init(
        ruleID: String, ruleTitle: String, level: Level, status: Status?, tags: [String], eventTime: String,
        eventTimeMillis: Int64?, tactics: [String]? = nil, techniques: [String]? = nil
    ) {
        self.ruleID = ruleID
        self.ruleTitle = ruleTitle
        self.level = level
        self.effectiveLevel = level
        self.status = status
        self.tags = tags
        self.tactics = tactics ?? AttackTags.tactics(in: tags)
        self.techniques = techniques ?? AttackTags.techniques(in: tags)
        self.eventTime = eventTime
        self.eventTimeMillis = eventTimeMillis
        self.enrichment = []
    }

    /// "succeeded", or the error code.
    public var outcome: String { errorCode ?? "succeeded" }

    /// ATT&CK tactics from `attack.<tactic-name>` tags.
    public var tactics: [String]
    /// ATT&CK technique ids from `attack.tNNNN[.NNN]` tags, upper-cased (T1190).
    public var techniques: [String]

    public static func == (a: Alert, b: Alert) -> Bool {
        a.ruleID == b.ruleID && a.eventID == b.eventID && a.eventTime == b.eventTime && a.origin == b.origin
            && a.effectiveLevel == b.effectiveLevel && a.summary == b.summary && a.correlation == b.correlation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ruleID)
        hasher.combine(eventID)
        hasher.combine(eventTime)
    }
}

/// Reading ATT&CK information out of Sigma tags (MD-07 namespaces).
public enum AttackTags {
    /// ATT&CK tactic short names, in kill-chain order.
    public static let tacticOrder = [
        "reconnaissance", "resource-development", "initial-access", "execution", "persistence",
        "privilege-escalation", "defense-evasion", "credential-access", "discovery", "lateral-movement",
        "collection", "command-and-control", "exfiltration", "impact",
    ]

    public static func tactics(in tags: [String]) -> [String] {
        tags.compactMap { tag in
            let lower = tag.lowercased()
            guard lower.hasPrefix("attack.") else { return nil }
            let name = String(lower.dropFirst("attack.".count))
            return tacticOrder.contains(name) ? name : nil
        }
    }

    public static func techniques(in tags: [String]) -> [String] {
        tags.compactMap { tag in
            let lower = tag.lowercased()
            guard lower.hasPrefix("attack.t") else { return nil }
            let id = String(lower.dropFirst("attack.".count))
            let digits = id.dropFirst()
            let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts[0].count == 4, parts[0].allSatisfy(\.isNumber),
                parts.count == 1 || (parts[1].count == 3 && parts[1].allSatisfy(\.isNumber))
            else { return nil }
            return id.uppercased()
        }
    }
}
