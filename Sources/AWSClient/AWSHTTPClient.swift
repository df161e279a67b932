import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The HTTP layer every service client shares: one AsyncHTTPClient connection pool, request signing, timeouts, and
/// AWS error answers turned into `AWSError`. Call `shutdown()` once when done.
public final class AWSHTTPClient: Sendable {
    /// The configuration every request uses.
    public let configuration: AWSClientConfiguration
    private let http: HTTPClient

    /// A client with its own connection pool on the shared event loop group.
    public init(configuration: AWSClientConfiguration) {
        self.configuration = configuration
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.timeout = .init(
            connect: .nanoseconds(Int64(Self.nanoseconds(configuration.connectTimeout))), read: nil
        )
        // S3 and SQS never redirect a well-addressed request; a redirect means a wrong region, which the error
        // answer explains better than following it would.
        httpConfiguration.redirectConfiguration = .disallow
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
    }

    /// Closes the connection pool. Requests after this fail.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// An AWS answer: status, headers and the whole body.
    struct Response: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            let lowered = name.lowercased()
            return headers.first { $0.name.lowercased() == lowered }?.value
        }
    }

    /// Signs and sends a request, reads the answer up to `maxBodyBytes`, and throws `AWSError` for an error status
    /// or a transport failure. `extraTime` lengthens the deadline (an SQS long poll waits that long by design).
    func send(
        _ request: AWSRequest, service: String, operation: String, resource: String,
        extraTime: Duration = .zero, maxBodyBytes: Int = 16 << 20
    ) async throws -> Response {
        var signed = request
        // The Host header is set here, not left to the HTTP client, so that the signed value is the one sent.
        if signed.header("host") == nil { signed.setHeader("Host", signed.host) }
        SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: service)
            .sign(&signed)

        var httpRequest = HTTPClientRequest(url: signed.url)
        httpRequest.method = HTTPMethod(rawValue: signed.method)
        for (name, value) in signed.headers {
            httpRequest.headers.add(name: name, value: value)
        }
        if !signed.body.isEmpty || signed.method == "PUT" || signed.method == "POST" {
            httpRequest.body = .bytes(ByteBuffer(bytes: signed.body))
        }
        let timeout = Self.nanoseconds(configuration.requestTimeout + extraTime)

        let status: Int
        let headers: [(name: String, value: String)]
        var body: [UInt8] = []
        do {
            let response = try await http.execute(httpRequest, timeout: .nanoseconds(Int64(timeout)))
            status = Int(response.status.code)
            headers = response.headers.map { (name: $0.name, value: $0.value) }
            if status < 300, let length = response.headers.first(name: "content-length").flatMap(Int.init),
                length > maxBodyBytes
            {
                throw Self.tooLarge(operation: operation, resource: resource, size: length, limit: maxBodyBytes)
            }
            for try await buffer in response.body {
                if body.count + buffer.readableBytes > maxBodyBytes {
                    if status < 300 {
                        throw Self.tooLarge(operation: operation, resource: resource, size: nil, limit: maxBodyBytes)
                    }
                    break  // an error answer this long is not worth reading further
                }
                body.append(contentsOf: buffer.readableBytesView)
            }
        } catch let error as AWSError {
            throw error
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw AWSError(
                kind: .transport, operation: operation, resource: resource,
                message: "no answer from \(signed.scheme)://\(signed.host): \(error)"
            )
        }
        guard (200..<300).contains(status) else {
            let (code, message) = AWSErrorBody.parse(body, headers: headers)
            var text = message ?? "HTTP \(status) with no error message"
            // S3 names the bucket's region when it was asked in the wrong one (301 PermanentRedirect, 400, 403).
            if let bucketRegion = headers.first(where: { $0.name.lowercased() == "x-amz-bucket-region" })?.value,
                bucketRegion != configuration.region
            {
                text += " (the bucket is in \(bucketRegion), the client uses \(configuration.region))"
            }
            throw AWSError(
                kind: AWSError.kind(code: code, statusCode: status), operation: operation, resource: resource,
                code: code, message: text, statusCode: status
            )
        }
        return Response(status: status, headers: headers, body: body)
    }

    private static func tooLarge(operation: String, resource: String, size: Int?, limit: Int) -> AWSError {
        AWSError(
            kind: .objectTooLarge, operation: operation, resource: resource,
            message: "the object is " + (size.map { "\($0) bytes, " } ?? "") + "over the limit of \(limit) bytes"
        )
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The endpoint a service is reached at: the override, or `SERVICE.REGION.amazonaws.com`.
    func endpoint(service: String) throws -> Endpoint {
        if let override = configuration.endpointURL { return try Endpoint(url: override) }
        let region = configuration.region
        return Endpoint(scheme: "https", host: "\(service).\(region).\(Endpoint.awsDomain(region: region))")
    }
}
