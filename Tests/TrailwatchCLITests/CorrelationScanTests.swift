import ArgumentParser
import CloudTrail
import Foundation
import SigmaKit
import Testing
import TrailwatchCLI
import TrailwatchKit

/// Correlations and filters through `scan`: alerts in every format, the report, ignore lists, filter trees,
/// references from a user's tree to the pack, and the pack's correlations on real data.
struct CorrelationScanTests {
    /// A temporary directory with `files` (relative path → text), removed by the caller.
    static func directory(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-corr-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    static let alice = "arn:aws:iam::123456789012:user/alice"

    /// A successful AuthorizeSecurityGroupIngress (seed match) at 09:00 + `seconds`.
    static func change(_ seconds: Int, id: String, arn: String = alice, group: String = "sg-0a1b2c3d4e5f60718")
        -> String
    {
        let minute = seconds / 60
        let second = seconds % 60
        let time = String(format: "2024-05-15T09:%02d:%02dZ", minute, second)
        return """
            {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"\(arn)","accountId":"123456789012"},\
            "eventTime":"\(time)","eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress",\
            "awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.23","userAgent":"aws-cli/2.15.30",\
            "requestParameters":{"groupId":"\(group)","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":443,\
            "toPort":443,"ipRanges":{"items":[{"cidrIp":"203.0.113.0/24"}]}}]}},"responseElements":{"_return":true},\
            "eventID":"\(id)","eventType":"AwsApiCall","recipientAccountId":"123456789012"}
            """
    }

    /// Ten changes by alice in 9 minutes (the pack's burst correlation fires once) plus two by bob.
    static func burstCorpus() -> String {
        let events =
            (0..<10).map { change($0 * 60, id: "burst-\($0)") }
            + [
                change(30, id: "bob-1", arn: "arn:aws:iam::123456789012:user/bob"),
                change(90, id: "bob-2", arn: "arn:aws:iam::123456789012:user/bob"),
            ]
        return "{\"Records\":[" + events.reversed().joined(separator: ",") + "]}"
    }

    static func scan(_ paths: [String], _ configure: (inout ScanRequest) -> Void = { _ in }) async throws -> ScanResult
    {
        var request = ScanRequest(paths: paths)
        request.workers = 2
        configure(&request)
        return try await Scanner.run(request)
    }

    static let burstID = "755245d2-2e62-4020-9396-e62dff389cab"

    @Test func burstAlertInEveryFormat() async throws {
        let root = try Self.directory(["logs/a.json": Self.burstCorpus()])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try await Self.scan([root.appendingPathComponent("logs").path]) { $0.includeEvent = true }
        let bursts = result.alerts.filter { $0.ruleID == Self.burstID }
        #expect(bursts.count == 1)
        let alert = try #require(bursts.first)
        #expect(alert.level == .medium)  // COR-19: the correlation's own level
        #expect(alert.eventTime == "2024-05-15T09:09:00Z")
        #expect(alert.identity == Self.alice)
        #expect(alert.eventID == nil)
        let details = try #require(alert.correlation)
        #expect(details.eventIDs == (0..<10).map { "burst-\($0)" })
        #expect(details.group == [.init(field: "userIdentity.arn", value: Self.alice)])
        #expect(details.windowStart == "2024-05-15T08:59:00Z")
        #expect(details.events?.count == 10)
        // Seed alerts are still reported (generate: true): 12 changes.
        #expect(result.alerts.filter { $0.ruleID == "6fb77778-040f-4015-9440-572aa9b6b580" }.count == 12)

        let json = alert.jsonRecord.rendered()
        #expect(json.contains("\"correlation\":{\"alertId\":\"\(Self.burstID)#1\",\"type\":\"event_count\""))
        #expect(json.contains("\"group\":{\"userIdentity.arn\":\"\(Self.alice)\"}"))
        #expect(json.contains("\"metric\":10,\"eventCount\":10,\"eventIds\":[\"burst-0\""))
        #expect(json.contains("\"events\":[{\"eventVersion\""))
        #expect(alert.csvValues[Alert.csvColumns.firstIndex(of: "eventId") ?? 0].hasPrefix("burst-0 burst-1 "))
        let line = TimelineRenderer(useColor: false).line(for: alert)
        #expect(line.contains("correlation/event_count"))
        #expect(line.contains("10 events within 10m (10 events, 08:59:00–09:09:00) for userIdentity.arn="))
        var table = ""
        ScanPrinter(format: .table).print(result, to: &table)
        #expect(table.contains("Burst Of Security Group Changes By One Identity"))
        let report = ScanPrinter.report(result)
        #expect(report.contains("Correlations: 4 running, 1 alert(s), 1 rule(s) only feeding correlations."))
    }

    @Test func failOnDetectionSeesCorrelationAlerts() async throws {
        let root = try Self.directory(["a.json": Self.burstCorpus()])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try await Self.scan([root.path]) {
            $0.ignore = IgnoreList(entries: ["6fb77778-040f-4015-9440-572aa9b6b580"])
        }
        // The seed is ignored: its correlation is set aside with the reason, and nothing alerts.
        #expect(result.alerts.isEmpty)
        #expect(result.correlation.setAside.contains { $0.reason.contains("ignored") })
        #expect(ScanPrinter.report(result).contains("set aside: Burst Of Security Group Changes By One Identity"))
        let medium = try await Self.scan([root.path])
        #expect(medium.exitStatus(failOn: .medium) == 1)
    }

    @Test func ignoreRuleAndIgnoreFile() async throws {
        let root = try Self.directory([
            "a.json": Self.burstCorpus(),
            "ignore.txt": """
            # noisy during the migration
            Burst Of Security Group Changes By One Identity

            not-a-rule-anyone-has
            """,
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        var ignore = try IgnoreList.read(path: root.appendingPathComponent("ignore.txt").path)
        #expect(ignore.entries == ["Burst Of Security Group Changes By One Identity", "not-a-rule-anyone-has"])
        ignore.append(IgnoreList(entries: ["{6FB77778-040F-4015-9440-572AA9B6B580}"]))  // any UUID spelling
        let result = try await Self.scan([root.appendingPathComponent("a.json").path]) { $0.ignore = ignore }
        #expect(result.alerts.isEmpty)
        #expect(result.rules.ignored.count == 2)
        let report = ScanPrinter.report(result)
        #expect(report.contains("Ignored (--ignore-rule/--ignore-file): "))
        #expect(report.contains("ignore.txt:4: 'not-a-rule-anyone-has' is not the id, name or title"))
        #expect(throws: ScanSetupError.self) { try IgnoreList.read(path: root.appendingPathComponent("nope").path) }
    }

    @Test func ignoreFlagsParse() throws {
        let command = try Trailwatch.parseAsRoot([
            "scan", "x", "--ignore-rule", "a", "--ignore-rule", "b", "--ignore-file", "f", "--max-groups", "10",
            "--max-group-events", "5",
        ])
        #expect(command is any AsyncParsableCommand)
        #expect(throws: (any Error).self) { try Trailwatch.parseAsRoot(["scan", "x", "--max-groups", "0"]) }
    }

    @Test func userCorrelationReferencesAPackRuleAndFiltersTreeHoldsFiltersOnly() async throws {
        let root = try Self.directory([
            "logs/a.json": Self.burstCorpus(),
            "rules/two_groups_changed.yml": """
            title: Two changes by one identity in a minute
            id: 3f9c6d85-5e0b-4a4d-8b1f-7c8d9eafb0c3
            correlation:
                type: event_count
                rules: [6fb77778-040f-4015-9440-572aa9b6b580]
                group-by: [userIdentity.arn]
                timespan: 1m
                condition: {gte: 2}
                generate: true
            level: critical
            """,
            "filters/only_alice.yml": """
            title: Changes by bob are expected
            logsource: {product: aws, service: cloudtrail}
            filter:
                rules: [6fb77778-040f-4015-9440-572aa9b6b580]
                selection: {userIdentity.arn: 'arn:aws:iam::123456789012:user/bob'}
                condition: not selection
            ---
            title: A rule in a filters tree
            logsource: {product: aws, service: cloudtrail}
            detection:
                sel: {eventName: AuthorizeSecurityGroupIngress}
                condition: sel
            """,
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try await Self.scan([root.appendingPathComponent("logs").path]) {
            $0.ruleTrees = [root.appendingPathComponent("rules").path]
            $0.filterTrees = [root.appendingPathComponent("filters").path]
        }
        #expect(result.correlation.setAside.isEmpty, "\(result.correlation.setAside)")
        let pairs = result.alerts.filter { $0.ruleTitle == "Two changes by one identity in a minute" }
        // alice: 09:00+09:01 → alert, then 09:02+09:03, … (D11): five alerts; bob's two are filtered out (FLT-06).
        #expect(pairs.count == 5)
        #expect(pairs.allSatisfy { $0.level == .critical && $0.identity == Self.alice })
        #expect(!result.alerts.contains { $0.ruleTitle == "A rule in a filters tree" })
        #expect(ScanPrinter.report(result).contains("'A rule in a filters tree' is a rule, not a filter"))
        #expect(result.alerts.filter { $0.ruleID == "6fb77778-040f-4015-9440-572aa9b6b580" }.count == 10)
    }

    @Test func evictionIsCountedAndReported() async throws {
        let events = (0..<50).map { Self.change($0, id: "e\($0)", arn: "arn:aws:iam::123456789012:user/u\($0)") }
        let root = try Self.directory(["a.json": "{\"Records\":[" + events.joined(separator: ",") + "]}"])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try await Self.scan([root.path]) { $0.correlation.maxGroups = 8 }
        #expect(result.correlation.statistics.groupsEvicted > 0)
        #expect(ScanPrinter.report(result).contains("group(s) evicted (--max-groups)"))
    }

    @Test func eventsWithoutTimeAreCountedNotCorrelated() async throws {
        let broken = Self.change(0, id: "x").replacingOccurrences(of: "2024-05-15T09:00:00Z", with: "yesterday")
        let root = try Self.directory(["a.json": "{\"Records\":[\(broken)]}"])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try await Self.scan([root.path])
        #expect(result.correlation.eventsWithoutTime == 1)
        #expect(ScanPrinter.report(result).contains("1 event(s) without a valid eventTime not correlated"))
    }

    /// The pack's correlations on the real grycap account (2014-2018): what they find, checked by hand against
    /// the records (see the correlations' documentation pages).
    @Test func packCorrelationsOnTheRealCorpus() async throws {
        guard let shared = Repository.shared else {
            print("skipped: ../shared is absent")
            return
        }
        let result = try await Self.scan([shared.appendingPathComponent("data/cloudtrail/grycap").path])
        func alerts(_ id: String) -> [Alert] { result.alerts.filter { $0.ruleID == id } }
        let byID = alerts("b9b92b80-5d26-49d8-b936-e95d8bae5a7b")
        // sg-84e8fc13: opened 18:52:44, launch 19:03:57; re-opened 19:24:05, launch 19:27:09 (D11: two sequences).
        #expect(byID.map(\.eventTime).sorted() == ["2017-06-01T19:03:57Z", "2017-06-01T19:27:09Z"])
        #expect(byID.allSatisfy { $0.correlation?.group.first?.value == "sg-84e8fc13" })
        // The Infrastructure Manager's im-…-public groups, opened by name and launched into seconds later.
        let byName = alerts("8cc942a3-f105-4850-b954-e29fe5a849eb")
        #expect(byName.count == 5)
        #expect(byName.allSatisfy { $0.correlation?.group.first?.value.hasSuffix("-public") == true })
        let bursts = alerts(Self.burstID)
        #expect(bursts.count == 4)
        #expect(bursts.allSatisfy { $0.identity == "arn:aws:iam::111122223333:user/micafer" })
        // The building block never alerts on its own.
        #expect(alerts("b40d2175-c5c3-4bfe-936f-e23a152caef2").isEmpty)
        #expect(result.correlation.statistics.groupsEvicted == 0 && result.correlation.statistics.eventsEvicted == 0)
    }
}
