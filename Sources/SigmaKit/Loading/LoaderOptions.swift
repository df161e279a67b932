/// Settings of a `RuleLoader`: placeholder values and the limits that keep hostile input harmless.
///
/// The defaults load every SigmaHQ rule (the largest, 295 KB, has about 10,000 YAML nodes) while a YAML
/// alias bomb, a huge file or a huge value is rejected quickly with a `resourceLimit` error.
public struct LoaderOptions: Sendable {
    /// Values for `%name%` placeholders used with `|expand` (PH-02). Unresolved placeholders reject the rule.
    public var placeholders: PlaceholderValues
    /// Files larger than this are not read (`resourceLimit`, naming the file). Default 16 MiB.
    public var maxFileBytes: Int
    /// YAML nodes visited per document, aliases expanded (stops "billion laughs"). Default 100,000.
    public var maxNodes: Int
    /// Largest single scalar value, in UTF-8 bytes. Default 1 MiB.
    public var maxScalarBytes: Int
    /// File name extensions read when walking directories (explicitly named files are always read).
    /// Compared case-insensitively, without the dot. Default `["yml", "yaml"]`.
    public var fileExtensions: Set<String>

    /// Creates options; every parameter has the documented default.
    public init(
        placeholders: PlaceholderValues = PlaceholderValues(),
        maxFileBytes: Int = 16 << 20,
        maxNodes: Int = 100_000,
        maxScalarBytes: Int = 1 << 20,
        fileExtensions: Set<String> = ["yml", "yaml"]
    ) {
        self.placeholders = placeholders
        self.maxFileBytes = maxFileBytes
        self.maxNodes = maxNodes
        self.maxScalarBytes = maxScalarBytes
        self.fileExtensions = fileExtensions
    }
}
