/// Turns one line of a selection (field, modifiers, values) into a ``DetectionItem`` whose tests encode every
/// modifier (§5-§7, §9, §10, §12, §14).
public enum DetectionItemBuilder {
    /// Builds one detection item.
    ///
    /// - Parameters:
    ///   - field: The field name, or nil for a keyword item (the YAML key was absent, or was `|mod` with an empty
    ///     field part, so the modifiers apply to keywords, e.g. `'|all'`).
    ///   - modifiers: The raw modifier names after the field, e.g. `["contains", "all"]` (case-sensitive).
    ///   - values: The typed YAML scalars: one for a scalar, the elements of a list; `[]` means null (DT-08).
    ///   - location: Where the item's key is written.
    ///   - placeholders: Values for `%name%` placeholders under `|expand`.
    /// - Throws: ``RuleError`` with the code and the position of the offending value where possible.
    public static func build(
        field: String?, modifiers: [String], values: [RuleValue], location: SourceLocation,
        placeholders: PlaceholderValues = .init()
    ) throws(RuleError) -> DetectionItem {
        throw RuleError(.unsupported, "value modifiers are not implemented yet", at: location)
    }
}
