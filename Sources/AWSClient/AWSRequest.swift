/// One HTTP request to an AWS API, in the parts that SigV4 signs: the path is kept decoded and the query as raw
/// pairs, so that signing and the URL that is sent apply the same encoding.
public struct AWSRequest: Sendable {
    /// The HTTP method, upper-case (`GET`, `PUT`, `POST`).
    public var method: String
    /// `https`, or `http` for a local endpoint.
    public var scheme: String
    /// The host, with `:port` when the port is not the scheme's default (it is signed as the `host` header).
    public var host: String
    /// The decoded path, starting with `/` (an S3 key appears here as it is, spaces and all).
    public var path: String
    /// The query parameters, decoded, in any order.
    public var query: [(name: String, value: String)]
    /// The headers to send and sign (`host`, `x-amz-date` and the other signing headers are added by the signer).
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: [UInt8]

    /// A request from its parts.
    public init(
        method: String, scheme: String = "https", host: String, path: String = "/",
        query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = [],
        body: [UInt8] = []
    ) {
        self.method = method
        self.scheme = scheme
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The value of a header, looked up without regard to case.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// Sets a header, replacing any of the same name (compared without regard to case).
    public mutating func setHeader(_ name: String, _ value: String) {
        let lowered = name.lowercased()
        headers.removeAll { $0.name.lowercased() == lowered }
        headers.append((name, value))
    }

    /// The path as sent on the wire: every segment percent-encoded once.
    public var encodedPath: String { URIEncoding.encodePath(path.isEmpty ? "/" : path) }

    /// The query as sent and as signed: encoded pairs sorted by name, then value.
    public var canonicalQuery: String {
        query.map { (URIEncoding.encode($0.name), URIEncoding.encode($0.value)) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// The full URL to send.
    public var url: String {
        let query = canonicalQuery
        return "\(scheme)://\(host)\(encodedPath)\(query.isEmpty ? "" : "?" + query)"
    }
}
