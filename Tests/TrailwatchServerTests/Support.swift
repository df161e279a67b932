import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TrailwatchServer

/// Shared helpers: a site built from the built-in pack plus the hostile rule tree below, an in-memory store, a
/// known token.
enum Support {
    static let token = "test-token-0123456789abcdef"
    static let seedID = "6fb77778-040f-4015-9440-572aa9b6b580"
    static let hostileID = "0d1c7c59-3c3b-4b6f-9f5e-00000000bad1"

    /// A rule whose every text tries to inject markup, and a documentation page that does the same.
    static let hostileRule = """
        title: <script>alert(1)</script> Evil "quoted" & 'single'
        id: \(hostileID)
        status: test
        description: <img src=x onerror=alert(2)> describes the evil
        author: <b>mallory</b>
        date: 2024-01-01
        references:
            - javascript:alert(5)
            - https://example.com/?a=1&b="2"
        tags:
            - attack.initial-access
            - attack.t1190
        logsource:
            product: aws
            service: cloudtrail
        detection:
            selection:
                eventName: '<svg onload=alert(3)>'
            condition: selection
        falsepositives:
            - <iframe src=javascript:alert(4)>
        level: high

        """

    static let hostileDocumentation = """
        # Evil overview
        <script>alert(6)</script>
        A [bad link](javascript:alert(7)) and a [good link](https://example.com/x?a=1&b=2).
        Inline <b onclick="alert(8)">html</b> and `<code>` span.
        ![img](https://example.com/x.png" onerror="alert(9))

        ```html" onmouseover="alert(10)
        <script>alert(11)</script>
        ```
        """

    /// A temporary rule tree with the hostile rule and its documentation.
    static func hostileTree() throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("trailwatch-serve-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try hostileRule.write(toFile: directory + "/evil.yml", atomically: true, encoding: .utf8)
        try hostileDocumentation.write(toFile: directory + "/evil.md", atomically: true, encoding: .utf8)
        return directory
    }

    static func configuration(ruleTrees: [String] = [], maxBodyBytes: Int = 64 << 10) -> ServerConfiguration {
        ServerConfiguration(
            hostname: "127.0.0.1", port: 0, ruleTrees: ruleTrees, storePath: ":memory:", token: token,
            maxBodyBytes: maxBodyBytes)
    }

    /// Runs `body` against the router of a fresh site (pack + hostile tree, empty in-memory store).
    static func withRouter(
        maxBodyBytes: Int = 64 << 10, _ body: @escaping @Sendable (any TestClientProtocol, Site) async throws -> Void
    ) async throws {
        let tree = try hostileTree()
        defer { try? FileManager.default.removeItem(atPath: tree) }
        let configuration = configuration(ruleTrees: [tree], maxBodyBytes: maxBodyBytes)
        let site = try await Site(configuration: configuration, store: try AlertStore())
        let app = buildApplication(site: site, configuration: configuration)
        try await app.test(.router) { client in try await body(client, site) }
    }

    static var authorization: HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

    /// The seed fixture's first event: SSH opened to 0.0.0.0/0 (raised to high by the enrichment).
    static let sshOpenEvent = """
        {"eventVersion": "1.05", "userIdentity": {"type": "IAMUser", "principalId": "AIDACKCEVSQ6C2EXAMPLE", \
        "arn": "arn:aws:iam::123456789012:user/alice", "accountId": "123456789012", "userName": "alice"}, \
        "eventTime": "2017-06-01T19:24:05Z", "eventSource": "ec2.amazonaws.com", \
        "eventName": "AuthorizeSecurityGroupIngress", "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.128", \
        "userAgent": "signin.amazonaws.com", "requestParameters": {"groupId": "sg-84e8fc13", "ipPermissions": \
        {"items": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "groups": {}, "ipRanges": {"items": \
        [{"cidrIp": "0.0.0.0/0"}]}, "ipv6Ranges": {}, "prefixListIds": {}}]}}, "responseElements": {"_return": true}, \
        "requestID": "3ceaaf30-8142-48ea-91d9-3080f9b439fc", "eventID": "9dfb369b-ab13-4fae-a276-55daa05f1119", \
        "eventType": "AwsApiCall", "recipientAccountId": "123456789012"}
        """

    /// An event whose values carry markup; it matches the hostile rule.
    static let hostileEvent = """
        {"eventVersion": "1.08", "userIdentity": {"type": "IAMUser", "arn": "<script>alert(12)</script>", \
        "accountId": "111122223333"}, "eventTime": "2024-05-15T02:15:31Z", "eventSource": "ec2.amazonaws.com", \
        "eventName": "<svg onload=alert(3)>", "awsRegion": "eu-west-1", "sourceIPAddress": "\\"><b>x</b>", \
        "userAgent": "<iframe src=javascript:alert(13)>", "eventID": "evil-event-1", \
        "recipientAccountId": "111122223333"}
        """

    static func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    static func data(_ response: TestResponse) -> Data { Data(String(buffer: response.body).utf8) }

    /// Posts events and returns the response.
    static func ingest(_ client: any TestClientProtocol, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: "/api/events", method: .post, headers: authorization, body: buffer(body))
    }

    /// `../shared` beside the package, when present.
    static var sharedDirectory: String? {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared").path
        return FileManager.default.fileExists(atPath: shared) ? shared : nil
    }
}
