/// The S3 calls the monitor needs: read an object (with a size limit), write one, list a prefix.
public struct S3Client: Sendable {
    /// The shared HTTP layer.
    public let http: AWSHTTPClient
    /// The most bytes `getObject` reads unless told otherwise: 1 GiB.
    public static let defaultMaxObjectBytes = 1 << 30

    /// An S3 client over a shared HTTP layer.
    public init(http: AWSHTTPClient) {
        self.http = http
    }

    /// Reads a whole object.
    ///
    /// - Returns: the bytes and the ETag (quotes removed), when S3 sent one.
    /// - Throws: `AWSError` (`.noSuchKey`, `.noSuchBucket`, `.objectTooLarge` naming the object, …).
    public func getObject(
        bucket: String, key: String, maxBytes: Int = defaultMaxObjectBytes
    ) async throws
        -> (bytes: [UInt8], etag: String?)
    {
        let request = try objectRequest(method: "GET", bucket: bucket, key: key)
        let response = try await http.send(
            request, service: "s3", operation: "GetObject", resource: Self.uri(bucket, key), maxBodyBytes: maxBytes
        )
        return (response.body, response.header("etag").map(Self.unquote))
    }

    /// Writes an object.
    ///
    /// - Returns: the ETag S3 gave it (quotes removed), when it sent one.
    @discardableResult
    public func putObject(
        bucket: String, key: String, bytes: [UInt8], contentType: String? = nil
    ) async throws
        -> String?
    {
        var request = try objectRequest(method: "PUT", bucket: bucket, key: key)
        request.body = bytes
        if let contentType { request.setHeader("Content-Type", contentType) }
        let response = try await http.send(
            request, service: "s3", operation: "PutObject", resource: Self.uri(bucket, key)
        )
        return response.header("etag").map(Self.unquote)
    }

    /// Creates a bucket (in the configured region). Handy for tests and S3-compatible stores.
    public func createBucket(_ bucket: String) async throws {
        var request = try objectRequest(method: "PUT", bucket: bucket, key: "")
        let region = http.configuration.region
        if region != "us-east-1" {
            // Outside us-east-1, S3 wants the region in the body too.
            request.body = Array(
                ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    + "<LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>").utf8
            )
        }
        _ = try await http.send(request, service: "s3", operation: "CreateBucket", resource: "s3://\(bucket)")
    }

    /// One object in a listing.
    public struct ObjectSummary: Sendable, Equatable {
        /// The key.
        public var key: String
        /// The size in bytes.
        public var size: Int
        /// The ETag, quotes removed.
        public var etag: String?
    }

    /// One page of a listing.
    public struct ListPage: Sendable, Equatable {
        /// The objects on this page.
        public var objects: [ObjectSummary]
        /// Pass this back to get the next page; nil on the last one.
        public var nextContinuationToken: String?
    }

    /// Lists up to 1,000 objects under a prefix (ListObjectsV2), one page per call.
    public func listObjectsV2(
        bucket: String, prefix: String? = nil, continuationToken: String? = nil
    ) async throws
        -> ListPage
    {
        var request = try objectRequest(method: "GET", bucket: bucket, key: "")
        request.query = [("list-type", "2")]
        if let prefix { request.query.append(("prefix", prefix)) }
        if let continuationToken { request.query.append(("continuation-token", continuationToken)) }
        let resource = Self.uri(bucket, prefix ?? "")
        let response = try await http.send(request, service: "s3", operation: "ListObjectsV2", resource: resource)
        let text = String(decoding: response.body, as: UTF8.self)
        guard text.contains("<ListBucketResult") else {
            throw AWSError(
                kind: .invalidResponse, operation: "ListObjectsV2", resource: resource,
                message: "the answer is not a ListBucketResult document"
            )
        }
        let objects = XMLTags.elements(named: "Contents", in: text).compactMap { element -> ObjectSummary? in
            guard let key = XMLTags.firstValue(of: "Key", in: String(element)) else { return nil }
            let size = XMLTags.firstValue(of: "Size", in: String(element)).flatMap(Int.init) ?? 0
            let etag = XMLTags.firstValue(of: "ETag", in: String(element)).map(Self.unquote)
            return ObjectSummary(key: key, size: size, etag: etag)
        }
        let truncated = XMLTags.firstValue(of: "IsTruncated", in: text) == "true"
        let next = truncated ? XMLTags.firstValue(of: "NextContinuationToken", in: text) : nil
        return ListPage(objects: objects, nextContinuationToken: next)
    }

    /// The request for an object (or, with an empty key, the bucket), addressed path-style or virtual-hosted.
    func objectRequest(method: String, bucket: String, key: String) throws -> AWSRequest {
        try Self.objectRequest(configuration: http.configuration, method: method, bucket: bucket, key: key)
    }

    /// The addressing rules, apart from any client so they can be checked alone.
    static func objectRequest(
        configuration: AWSClientConfiguration, method: String, bucket: String, key: String
    )
        throws -> AWSRequest
    {
        guard !bucket.isEmpty, !bucket.contains("/") else {
            throw AWSError(
                kind: .other, operation: method, resource: uri(bucket, key), message: "'\(bucket)' is not a bucket name"
            )
        }
        let endpoint: Endpoint
        if let override = configuration.endpointURL {
            endpoint = try Endpoint(url: override)
        } else {
            let region = configuration.region
            endpoint = Endpoint(scheme: "https", host: "s3.\(region).\(Endpoint.awsDomain(region: region))")
        }
        let pathStyle = configuration.s3PathStyle ?? (configuration.endpointURL != nil || bucket.contains("."))
        if pathStyle {
            return AWSRequest(method: method, scheme: endpoint.scheme, host: endpoint.host, path: "/\(bucket)/\(key)")
        }
        return AWSRequest(method: method, scheme: endpoint.scheme, host: "\(bucket).\(endpoint.host)", path: "/\(key)")
    }

    static func uri(_ bucket: String, _ key: String) -> String { "s3://\(bucket)/\(key)" }

    static func unquote(_ etag: String) -> String {
        etag.count >= 2 && etag.hasPrefix("\"") && etag.hasSuffix("\"") ? String(etag.dropFirst().dropLast()) : etag
    }
}
