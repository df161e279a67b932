import SigmaKit

/// How `trailwatch serve` runs: where it listens, what it loads, where alerts go, who may write.
public struct ServerConfiguration: Sendable {
    /// Address to bind; loopback unless the operator says otherwise.
    public var hostname: String
    /// TCP port; 0 picks a free one.
    public var port: Int
    /// Rule files or directories loaded next to the built-in pack.
    public var ruleTrees: [String]
    public var useBuiltinPack: Bool
    /// Disables the pack's "successful calls only" filter for ingestion (as `scan --include-failed`).
    public var includeFailed: Bool
    public var placeholders: PlaceholderValues
    /// The SQLite file of the alert store; `:memory:` keeps alerts in memory only.
    public var storePath: String
    /// The bearer token writes (ingestion, alert status) must carry. Never empty when the server runs: the
    /// command generates one when none is given.
    public var token: String?
    /// Largest request body accepted (ingestion), in bytes.
    public var maxBodyBytes: Int
    /// SQL per convert dialect for the detection pages, when a converter is available.
    public var sqlProvider: DetectionSQLProvider?

    public init(
        hostname: String = "127.0.0.1", port: Int = 8080, ruleTrees: [String] = [], useBuiltinPack: Bool = true,
        includeFailed: Bool = false, placeholders: PlaceholderValues = PlaceholderValues(),
        storePath: String = ":memory:", token: String? = nil, maxBodyBytes: Int = 16 << 20,
        sqlProvider: DetectionSQLProvider? = nil
    ) {
        self.hostname = hostname
        self.port = port
        self.ruleTrees = ruleTrees
        self.useBuiltinPack = useBuiltinPack
        self.includeFailed = includeFailed
        self.placeholders = placeholders
        self.storePath = storePath
        self.token = token
        self.maxBodyBytes = maxBodyBytes
        self.sqlProvider = sqlProvider
    }
}

extension ServerConfiguration {
    /// A random token (64 hex digits) for a server started without one.
    public static func generateToken() -> String { BearerToken.generate() }
}
