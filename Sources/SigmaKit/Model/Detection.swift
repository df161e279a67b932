/// A scalar as it came out of the rule's YAML, typed by YAML 1.1 rules (Y-03): `yes` is a bool, `010` is 8,
/// `1e3` is a string.
public enum RuleScalar: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case int(Int64)
    case float(Double)
    case bool(Bool)
    case null

    public var description: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .float(let d): return d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }
}

/// A rule value with the position it was written at.
public struct RuleValue: Sendable, Hashable {
    public var scalar: RuleScalar
    public var location: SourceLocation
    public init(_ scalar: RuleScalar, at location: SourceLocation) {
        self.scalar = scalar
        self.location = location
    }
}

/// Every value modifier of Sigma spec v2.1 plus pySigma 2.0.1's extras. Names are case-sensitive.
public enum Modifier: String, CaseIterable, Sendable, Hashable {
    case contains, startswith, endswith, all
    case base64, base64offset
    case wide, utf16le, utf16be, utf16
    case windash
    case re, i, ignorecase, m, multiline, s, dotall
    case cidr, exists, fieldref
    case gt, gte, lt, lte, neq
    case cased, expand
    case minute, hour, day, week, month, year
}

/// Numeric comparison operators, for `gt`/`gte`/`lt`/`lte` and the time-part modifiers.
public enum ComparisonOperator: String, Sendable, Hashable {
    case equal = "eq", greater = "gt", greaterOrEqual = "gte", less = "lt", lessOrEqual = "lte"

    /// Applies the operator: `lhs <op> rhs`.
    public func holds<T: Comparable>(_ lhs: T, _ rhs: T) -> Bool {
        switch self {
        case .equal: return lhs == rhs
        case .greater: return lhs > rhs
        case .greaterOrEqual: return lhs >= rhs
        case .less: return lhs < rhs
        case .lessOrEqual: return lhs <= rhs
        }
    }
}

/// Part of a timestamp selected by a time modifier (`|hour`, ...). `week` is the ISO 8601 week (D9).
public enum TimePart: String, Sendable, Hashable {
    case minute, hour, day, week, month, year
}

/// How a field reference compares the two fields (`|fieldref`, optionally followed by contains/startswith/endswith).
public enum FieldRefMode: String, Sendable, Hashable {
    case equals, contains, startswith, endswith
}

/// One test of one value against a field's values, after every modifier has been applied.
/// The engine compiles these; they never need re-parsing.
public indirect enum ValueTest: Sendable, Hashable {
    /// String pattern (literal text and wildcards), matched against the whole value.
    /// `contains`/`startswith`/`endswith` have already added their wildcards.
    case pattern(SigmaString, caseSensitive: Bool)
    /// For keyword (field-less) items the builder has already wrapped the value in `*…*` (KW-02), and the
    /// engine tries the pattern against every leaf value of the event.
    /// Numeric equality against an unquoted rule number (NUM-01): event numbers or numeric strings that are equal.
    case number(Double)
    /// Boolean equality (NUM-04): JSON bool of the same value, or the strings "true"/"false" (any case).
    case bool(Bool)
    /// `null` (NV-01): field absent or JSON null.
    case null
    /// `|exists` (NV-05): presence of the key (a JSON null counts as present, D7).
    case exists(Bool)
    /// `|re` with search semantics.
    case regex(SigmaRegex)
    /// `|cidr`: the value parsed as an IP address is inside the network.
    case cidr(IPNetwork)
    /// `|gt` etc.: the value (number or numeric string) compared with the rule number.
    case compare(ComparisonOperator, Double)
    /// `|fieldref`: compared with the values of another field of the same event (case-insensitive unless cased).
    case fieldRef(String, mode: FieldRefMode, caseSensitive: Bool)
    /// `|hour` etc.: the value parsed as an RFC 3339 timestamp (UTC), the part compared with the rule integer.
    case timePart(TimePart, ComparisonOperator, Int)
    /// An expansion group (windash, base64offset, placeholder values): any of the alternatives. Always OR,
    /// even under `|all` (CH-05).
    case anyOf([ValueTest])
}

/// One line of a selection: a field (or none, for keywords), its modifiers, and the tests its values became.
public struct DetectionItem: Sendable, Hashable {
    /// The field name as written (dots are part of the name; resolution is the event's job, EV-01). Nil for keywords.
    public var field: String?
    /// The modifiers as written, in order.
    public var modifiers: [Modifier]
    /// One test per rule value (expansions grouped with `anyOf`).
    public var tests: [ValueTest]
    /// `|all`: every test must hold (otherwise any).
    public var matchesAll: Bool
    /// `|neq`: the whole item is negated (MOD-neq), so an absent field matches.
    public var isNegated: Bool
    /// Where the item's key was written.
    public var location: SourceLocation

    public init(
        field: String?, modifiers: [Modifier], tests: [ValueTest], matchesAll: Bool, isNegated: Bool,
        location: SourceLocation
    ) {
        self.field = field
        self.modifiers = modifiers
        self.tests = tests
        self.matchesAll = matchesAll
        self.isNegated = isNegated
        self.location = location
    }

    /// True for a field-less (keyword) item.
    public var isKeyword: Bool { field == nil }
}

/// The boolean structure of a search identifier: a map is AND, a list is OR (DT-02..DT-06).
public indirect enum DetectionNode: Sendable, Hashable {
    case item(DetectionItem)
    case and([DetectionNode])
    case or([DetectionNode])
}

/// A named search identifier of the `detection` section.
public struct Detection: Sendable, Hashable {
    public var name: String
    public var root: DetectionNode
    public var location: SourceLocation

    public init(name: String, root: DetectionNode, location: SourceLocation) {
        self.name = name
        self.root = root
        self.location = location
    }
}
