import Foundation
import SigmaKit
import Testing
import TrailwatchKit

/// `rules test` with correlation fixtures: a sequence of events and the expected alerts.
struct CorrelationFixtureTests {
    static let rules = """
        title: Console login failed
        id: 7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
        name: login_failed
        logsource: {product: aws, service: cloudtrail}
        detection:
            sel: {eventName: ConsoleLogin, responseElements.ConsoleLogin: Failure}
            condition: sel
        level: low
        ---
        title: Three failed console logins
        id: 8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e
        correlation:
            type: event_count
            rules: [login_failed]
            group-by: [userIdentity.arn]
            timespan: 5m
            condition: {gte: 3}
        level: high
        """

    static func login(_ time: String, _ id: String, user: String = "alice") -> String {
        """
        {"eventTime":"2024-05-15T\(time)Z","eventName":"ConsoleLogin","eventID":"\(id)",\
        "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/\(user)"},\
        "responseElements":{"ConsoleLogin":"Failure"}}
        """
    }

    static func run(_ fixtures: String) throws -> FixtureReport.Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-cfix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try rules.write(
            to: directory.appendingPathComponent("three_failed_logins.yml"), atomically: true, encoding: .utf8)
        try fixtures.write(
            to: directory.appendingPathComponent("three_failed_logins.fixtures.json"), atomically: true, encoding: .utf8
        )
        return FixtureReport.run(paths: [directory.path], includeBuiltin: false)
    }

    @Test func passingAndFailingCases() throws {
        let three = [Self.login("10:00:00", "a"), Self.login("10:02:00", "b"), Self.login("10:05:00", "c")]
        let late = [Self.login("10:00:00", "a"), Self.login("10:02:00", "b"), Self.login("10:05:01", "c")]
        let result = try Self.run(
            """
            {"rule": "8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e", "cases": [
              {"name": "three in five minutes, in reverse file order", "expect": "match",
               "alerts": [{"group": {"userIdentity.arn": "ARN:AWS:IAM::123456789012:USER/ALICE"},
                           "eventIds": ["a", "b", "c"], "windowEnd": "2024-05-15T10:05:00Z", "metric": 3}],
               "events": [\(three.reversed().joined(separator: ","))]},
              {"name": "one second too late", "expect": "no-match",
               "events": [\(late.joined(separator: ","))]},
              {"name": "wrong on purpose: expects two alerts", "expect": "match",
               "alerts": [{"metric": 3}, {"metric": 3}], "events": [\(three.joined(separator: ","))]},
              {"name": "wrong on purpose: expects other events", "expect": "match",
               "alerts": [{"eventIds": ["a", "b"], "windowEnd": "2024-05-15T10:04:00Z"}],
               "events": [\(three.joined(separator: ","))]},
              {"name": "wrong on purpose: expects no alert", "expect": "no-match",
               "events": [\(three.joined(separator: ","))]}
            ]}
            """)
        #expect(result.passed == 2, "\(result.text)")
        #expect(result.failed == 3)
        #expect(result.text.contains("PASS  Three failed console logins: three in five minutes, in reverse file order"))
        #expect(result.text.contains("expected 2 alert(s), got 1 [3 events within 5m"))
        #expect(result.text.contains("alert 1: expected events [a, b], got [a, b, c]"))
        #expect(
            result.text.contains(
                "alert 1: expected the window to end at 2024-05-15T10:04:00Z, got 2024-05-15T10:05:00Z"))
        #expect(result.text.contains("expected no alert, got 1 alert(s)"))
    }

    @Test(arguments: [
        (#"{"name": "x", "expect": "no-match", "alerts": [{"metric": 1}], "events": [{}]}"#, "only goes with"),
        (#"{"name": "x", "expect": "match", "events": []}"#, "non-empty array"),
        (#"{"name": "x", "expect": "match", "events": [{}], "event": {}}"#, "not both or neither"),
        (#"{"name": "x", "expect": "match", "alerts": [{"metrik": 1}], "events": [{}]}"#, "unknown key \"metrik\""),
    ])
    func malformedCorrelationCasesAreFileErrors(item: String, fragment: String) throws {
        let result = try Self.run("{\"rule\": \"8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e\", \"cases\": [\(item)]}")
        #expect(result.failed == 1)
        #expect(result.text.contains(fragment), "\(result.text)")
    }

    @Test func packCorrelationFixturesRun() {
        let result = FixtureReport.run(paths: [], includeBuiltin: true)
        #expect(result.failed == 0, "\(result.text)")
        for title in [
            "Burst Of Security Group Changes By One Identity", "Burst Of EC2 Instance Launches By One Identity",
            "Security Group Opened To The Internet Then Used To Launch An Instance",
            "Security Group Opened To The Internet Then Used To Launch An Instance (By Group Name)",
            "EC2 Instances Launched",
        ] {
            #expect(result.text.contains("PASS  \(title): "), "\(title)")
        }
    }
}
