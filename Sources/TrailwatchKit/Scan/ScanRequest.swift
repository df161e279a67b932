import SigmaKit

/// Output formats of `scan`.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, jsonl, json, csv
}

/// Everything a scan needs, as the command line gives it.
public struct ScanRequest: Sendable {
    public var paths: [String]
    public var ruleTrees: [String] = []
    public var filterTrees: [String] = []
    public var useBuiltinPack = true
    /// Disables the pack's "successful calls only" filter of the security-group detection.
    public var includeFailed = false
    public var from: String?
    public var to: String?
    public var accounts: [String] = []
    public var regions: [String] = []
    public var includeEvent = false
    public var workers: Int?
    public var showProgress = false
    /// Placeholder values for `|expand` rules.
    public var placeholders = PlaceholderValues()
    /// Rules, correlations and filters to leave out (`--ignore-rule`, `--ignore-file`), by id, name or title.
    public var ignore = IgnoreList()
    /// Correlation options (alert mode, memory caps).
    public var correlation = CorrelationOptions()

    public init(paths: [String]) { self.paths = paths }
}

/// A problem that stops a scan before it reads anything (bad rules, bad dates): exit status 64.
public struct ScanSetupError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
