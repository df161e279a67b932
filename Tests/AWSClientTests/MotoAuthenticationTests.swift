import MotoTestSupport
import Foundation
import Testing

@testable import AWSClient

/// moto with IAM authentication switched on: a key made in moto's IAM signs good requests (which proves the
/// signatures right), a wrong secret or an unknown key id is rejected with a clear `badCredentials` error.
@Suite(.enabled(if: MotoServer.isInstalled, MotoServer.notInstalledReason))
struct MotoAuthenticationTests {
    /// Calls moto's IAM (query protocol) while authentication is still off.
    static func iam(
        _ http: AWSHTTPClient, _ server: MotoServer, _ parameters: [(String, String)]
    ) async throws -> String {
        let form = (parameters + [("Version", "2010-05-08")])
            .map { "\(URIEncoding.encode($0.0))=\(URIEncoding.encode($0.1))" }.joined(separator: "&")
        let request = AWSRequest(
            method: "POST", scheme: "http", host: "127.0.0.1:\(server.port)", path: "/",
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], body: Array(form.utf8)
        )
        let response = try await http.send(request, service: "iam", operation: parameters[0].1, resource: "iam")
        return String(decoding: response.body, as: UTF8.self)
    }

    /// Runs `body` with an HTTP layer signing with `credentials`, shut down afterwards whatever happens.
    static func withHTTP<T: Sendable>(
        _ server: MotoServer, _ credentials: AWSCredentials, _ body: (AWSHTTPClient) async throws -> T
    ) async throws -> T {
        let http = AWSHTTPClient(
            configuration: AWSClientConfiguration(
                credentials: credentials, region: "us-east-1", endpointURL: server.endpoint,
                requestTimeout: .seconds(30)
            ))
        do {
            let result = try await body(http)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    @Test func goodKeyWorksAndBadCredentialsAreClearErrors() async throws {
        let server = try await MotoServer.start()
        defer { server.stop() }

        // Setup while moto still accepts anything: a user with an access key and an allow-all policy, a queue,
        // a bucket and an object; then authentication is switched on for every later request.
        let setupCredentials = AWSCredentials(accessKeyID: "AKIDSETUP", secretAccessKey: "setup")
        let (queueURL, accessKeyID, secret) = try await Self.withHTTP(server, setupCredentials) {
            setup -> (String, String, String) in
            _ = try await Self.iam(setup, server, [("Action", "CreateUser"), ("UserName", "watcher")])
            let keyXML = try await Self.iam(setup, server, [("Action", "CreateAccessKey"), ("UserName", "watcher")])
            let accessKeyID = try #require(XMLTags.firstValue(of: "AccessKeyId", in: keyXML))
            let secret = try #require(XMLTags.firstValue(of: "SecretAccessKey", in: keyXML))
            let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
            _ = try await Self.iam(
                setup, server,
                [
                    ("Action", "PutUserPolicy"), ("UserName", "watcher"), ("PolicyName", "all"),
                    ("PolicyDocument", policy),
                ])
            let queueURL = try await SQSClient(http: setup).createQueue(name: "auth-events")
            try await S3Client(http: setup).createBucket("auth-trail")
            try await S3Client(http: setup).putObject(bucket: "auth-trail", key: "logs/a.json", bytes: [0x7B, 0x7D])
            let reset = AWSRequest(
                method: "POST", scheme: "http", host: "127.0.0.1:\(server.port)", path: "/moto-api/reset-auth",
                body: Array("0".utf8)
            )
            _ = try await setup.send(reset, service: "s3", operation: "reset-auth", resource: "moto")
            return (queueURL, accessKeyID, secret)
        }

        // The right key passes moto's own signature check for SQS (JSON) and S3 (GET, PUT, list).
        try await Self.withHTTP(server, AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret)) { good in
            try await SQSClient(http: good).sendMessage(queueURL: queueURL, body: "hello")
            let bodies = try await SQSClient(http: good).receiveMessages(queueURL: queueURL, waitSeconds: 0).map(\.body)
            #expect(bodies == ["hello"])
            let s3 = S3Client(http: good)
            #expect(try await s3.getObject(bucket: "auth-trail", key: "logs/a.json").bytes == [0x7B, 0x7D])
            try await s3.putObject(bucket: "auth-trail", key: "logs/b.json", bytes: [0x5B, 0x5D])
            // Prefix without a slash: moto re-signs from the decoded query, so `logs%2F` fails its check even for
            // boto3 (the encoding of `/` is covered by the botocore vectors instead).
            #expect(try await s3.listObjectsV2(bucket: "auth-trail", prefix: "logs").objects.count == 2)
        }

        // A wrong secret: the signature does not match, for SQS and S3, and the feed ends with the error.
        let wrongSecret = AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret + "x")
        try await Self.withHTTP(server, wrongSecret) { http in
            do {
                _ = try await SQSClient(http: http).receiveMessages(queueURL: queueURL, waitSeconds: 0)
                Issue.record("moto accepted a wrong secret")
            } catch let error as AWSError {
                #expect(error.kind == .badCredentials)
                #expect(error.code == "SignatureDoesNotMatch")
                #expect(error.description.contains("check the AWS credentials"))
            }
            do {
                _ = try await S3Client(http: http).getObject(bucket: "auth-trail", key: "logs/a.json")
                Issue.record("moto's S3 accepted a wrong secret")
            } catch let error as AWSError {
                #expect(error.kind == .badCredentials)
                #expect(error.code == "SignatureDoesNotMatch")
            }
            let feed = S3NotificationFeed(
                s3: S3Client(http: http), sqs: SQSClient(http: http), options: .init(queueURL: queueURL, waitSeconds: 1)
            )
            do {
                _ = try await withTimeout(30) {
                    var iterator = feed.objects().makeAsyncIterator()
                    return try await iterator.next()
                }
                Issue.record("the feed did not fail on bad credentials")
            } catch let error as AWSError {
                #expect(error.kind == .badCredentials)
            }
        }

        // An unknown key id.
        let unknownKey = AWSCredentials(accessKeyID: "AKIAUNKNOWNKEY000000", secretAccessKey: secret)
        try await Self.withHTTP(server, unknownKey) { http in
            do {
                _ = try await SQSClient(http: http).receiveMessages(queueURL: queueURL, waitSeconds: 0)
                Issue.record("moto accepted an unknown key")
            } catch let error as AWSError {
                #expect(error.kind == .badCredentials)
                #expect(error.code == "InvalidClientTokenId")
            }
        }
    }
}
