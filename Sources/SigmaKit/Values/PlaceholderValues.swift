/// Values for `%name%` placeholders (PH-02), configured by the user.
///
/// Under `|expand`, each placeholder of a value is replaced by each configured value, parsed as a Sigma string
/// (so `srv*` is a wildcard pattern), and the results are OR-ed. A value with several placeholders expands to
/// every combination. Unknown names reject the rule unless ``unresolvedAsWildcard`` is set (pySigma's wildcard
/// strategy: the placeholder becomes `*`, or `.*` inside a regular expression). Names are case-sensitive.
public struct PlaceholderValues: Sendable, Hashable {
    /// Placeholder name (without the `%`) → its values.
    public var values: [String: [String]]
    /// Replace unknown placeholders by a wildcard instead of rejecting the rule.
    public var unresolvedAsWildcard: Bool

    /// Creates a placeholder configuration.
    public init(values: [String: [String]] = [:], unresolvedAsWildcard: Bool = false) {
        self.values = values
        self.unresolvedAsWildcard = unresolvedAsWildcard
    }
}
