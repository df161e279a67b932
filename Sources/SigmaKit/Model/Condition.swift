/// The quantifier of a selector: `1 of` / `any of` (OR) or `all of` (AND).
public enum SelectorQuantifier: String, Sendable, Hashable {
    case one, all
}

/// A parsed condition (CND-01). Selectors (`1 of sel*`) stay in the tree as written;
/// `resolved(against:)` turns them into plain AND/OR of identifiers.
public indirect enum ConditionExpression: Sendable, Hashable, CustomStringConvertible {
    case identifier(String)
    case not(ConditionExpression)
    case and([ConditionExpression])
    case or([ConditionExpression])
    /// `1 of PATTERN`, `all of PATTERN`; the pattern `them` is kept as the literal "them".
    case selector(SelectorQuantifier, pattern: String)

    public var description: String {
        switch self {
        case .identifier(let name): return name
        case .not(let inner): return "not \(inner.parenthesizedDescription)"
        case .and(let parts): return parts.map(\.parenthesizedDescription).joined(separator: " and ")
        case .or(let parts): return parts.map(\.parenthesizedDescription).joined(separator: " or ")
        case .selector(let q, let pattern): return "\(q == .one ? "1" : "all") of \(pattern)"
        }
    }

    private var parenthesizedDescription: String {
        switch self {
        case .and, .or: return "(\(description))"
        default: return description
        }
    }
}
