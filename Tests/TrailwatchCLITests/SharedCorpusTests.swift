import CloudTrail
import Foundation
import SigmaKit
import Testing
import TrailwatchKit

/// Results on the real CloudTrail data of `../shared/data/cloudtrail` (skipped when `../shared` is absent).
@Suite(.enabled(if: Repository.shared != nil, "../shared is absent: the real-corpus tests are skipped"))
struct SharedCorpusTests {
    static var data: String { Repository.shared?.appendingPathComponent("data/cloudtrail").path ?? "" }
    static var seedRuleFile: String {
        Repository.shared?.appendingPathComponent(
            "sigma/sigmahq/rules/cloud/aws/cloudtrail/aws_cloudtrail_security_group_change_ingress_egress.yml"
        ).path ?? ""
    }
    static let seedID = "6fb77778-040f-4015-9440-572aa9b6b580"

    @Test func seedRuleAloneMatchesThe63SecurityGroupCallsOfGrycap() async throws {
        var request = ScanRequest(paths: [Self.data + "/grycap"])
        request.useBuiltinPack = false
        request.ruleTrees = [Self.seedRuleFile]
        let result = try await Scanner.run(request)
        #expect(result.input.totals.records == 17_622)
        #expect(result.input.totals.duplicates == 22)
        #expect(result.alerts.count == 63)
        #expect(Set(result.alerts.compactMap(\.eventID)).count == 63)
        let names = Set(result.alerts.compactMap(\.eventName))
        #expect(names.isSubset(of: ["AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress",
                                    "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupEgress"]))
        #expect(result.alerts.filter { $0.errorCode != nil }.map(\.errorCode) == ["Client.InvalidGroup.NotFound"])
    }

    @Test func defaultScanReportsThe62SuccessfulChanges() async throws {
        let result = try await Scanner.run(ScanRequest(paths: [Self.data + "/grycap"]))
        let seed = result.alerts.filter { $0.ruleID == Self.seedID }
        #expect(seed.count == 62)
        #expect(seed.allSatisfy { $0.errorCode == nil })
    }

    @Test func includeFailedReportsAll63WithTheFailureMarked() async throws {
        var request = ScanRequest(paths: [Self.data + "/grycap"])
        request.includeFailed = true
        let result = try await Scanner.run(request)
        let seed = result.alerts.filter { $0.ruleID == Self.seedID }
        #expect(seed.count == 63)
        #expect(seed.filter { $0.errorCode == "Client.InvalidGroup.NotFound" }.count == 1)
    }

    @Test func stratusOpenPort22IsExplained() async throws {
        let file = Self.data + "/stratus-red-team/aws.exfiltration.ec2-security-group-open-port-22-ingress.json"
        let result = try await Scanner.run(ScanRequest(paths: [file]))
        let alert = try #require(result.alerts.first { $0.ruleID == Self.seedID })
        let summary = try #require(alert.summary)
        #expect(summary.contains("tcp/22"))
        #expect(summary.contains("0.0.0.0/0"))
        #expect(summary.contains("OPEN TO THE INTERNET"))
        #expect(alert.effectiveLevel == .high)
        #expect(alert.level == .medium)
    }

    @Test func wholeDataFolderScansWithoutInputErrors() async throws {
        let result = try await Scanner.run(ScanRequest(paths: [Self.data]))
        #expect(result.input.failedInputs.isEmpty)
        #expect(result.input.totals.rejected == 0)
        #expect(!result.alerts.isEmpty)
    }
}
