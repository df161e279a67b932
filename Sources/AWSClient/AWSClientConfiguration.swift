import Foundation

/// What every AWS call shares: credentials, region, where the services are, and how long to wait.
public struct AWSClientConfiguration: Sendable {
    /// The credentials that sign every request.
    public var credentials: AWSCredentials
    /// The region of the credential scope and of the AWS hostnames (`us-east-1`).
    public var region: String
    /// One endpoint for every service instead of the AWS hostnames, e.g. `http://127.0.0.1:5000` for a local
    /// server or `https://minio.example.net` for an S3-compatible store.
    public var endpointURL: String?
    /// Path-style S3 addressing (`host/bucket/key`) instead of virtual-hosted (`bucket.host/key`). Nil means
    /// path-style with an `endpointURL`, virtual-hosted on AWS (where buckets whose names hold dots still go
    /// path-style, because their names break the TLS wildcard certificate).
    public var s3PathStyle: Bool?
    /// How long to wait for a TCP (and TLS) connection.
    public var connectTimeout: Duration
    /// How long one request may take end to end, on top of an SQS long-poll's wait.
    public var requestTimeout: Duration

    /// A configuration from its parts.
    public init(
        credentials: AWSCredentials, region: String, endpointURL: String? = nil, s3PathStyle: Bool? = nil,
        connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(120)
    ) {
        self.credentials = credentials
        self.region = region
        self.endpointURL = endpointURL
        self.s3PathStyle = s3PathStyle
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
    }
}

extension AWSClientConfiguration {
    /// A configuration from the resolver's chains: credentials (explicit, profile, environment, files), region
    /// (explicit, environment, config file, queue URL) and endpoint (explicit, else `AWS_ENDPOINT_URL`).
    ///
    /// - Throws: `AWSConfigurationError` naming where it looked when credentials or the region cannot be found.
    public static func resolved(
        credentials: AWSCredentials? = nil, profile: String? = nil, region: String? = nil, queueURL: String? = nil,
        endpointURL: String? = nil, resolver: AWSConfigurationResolver = AWSConfigurationResolver()
    ) throws(AWSConfigurationError) -> AWSClientConfiguration {
        let found = try resolver.credentials(explicit: credentials, profile: profile)
        let foundRegion = try resolver.region(explicit: region, profile: profile, queueURL: queueURL)
        let endpoint = endpointURL ?? resolver.environment["AWS_ENDPOINT_URL"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSClientConfiguration(credentials: found, region: foundRegion, endpointURL: endpoint)
    }
}

/// The scheme and host (with port) of a service endpoint.
struct Endpoint: Sendable, Equatable {
    var scheme: String
    var host: String

    /// Parses an `endpointURL` override; only scheme, host and port are used.
    init(url: String) throws(AWSError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw AWSError(
                kind: .other, operation: "configure", resource: url,
                message: "the endpoint URL must look like http(s)://host[:port]"
            )
        }
        self.scheme = scheme
        self.host = components.port.map { "\(host):\($0)" } ?? host
    }

    init(scheme: String, host: String) {
        self.scheme = scheme
        self.host = host
    }

    /// `amazonaws.com`, or `amazonaws.com.cn` in the China regions.
    static func awsDomain(region: String) -> String {
        region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
    }
}
