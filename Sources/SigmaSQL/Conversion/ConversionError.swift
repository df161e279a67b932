import SigmaKit

/// Why a rule could not be converted for a target: the construct, the rule and the dialect are always named
/// (decision D13: nothing is skipped silently, and no query is written that would mean something else).
public struct ConversionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The Sigma construct that has no faithful translation (`keyword search`, `|cidr` with an IPv6 network...).
    public var construct: String
    /// Why, in a sentence.
    public var reason: String
    /// The rule's title.
    public var ruleTitle: String
    /// The rule's id, when it has one.
    public var ruleID: String?
    /// The target the query was for.
    public var target: SQLTarget
    /// Where the construct is written, when known.
    public var location: SourceLocation?

    /// An error for `construct` of a rule.
    public init(
        construct: String, reason: String, ruleTitle: String, ruleID: String?, target: SQLTarget,
        location: SourceLocation?
    ) {
        self.construct = construct
        self.reason = reason
        self.ruleTitle = ruleTitle
        self.ruleID = ruleID
        self.target = target
        self.location = location
    }

    /// `path:line:column: error: rule 'title' (id): construct cannot be converted to target: reason`.
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        let id = ruleID.map { " (\($0))" } ?? ""
        return "\(place)error: rule '\(ruleTitle)'\(id): \(construct) cannot be converted to \(target): \(reason)"
    }
}
