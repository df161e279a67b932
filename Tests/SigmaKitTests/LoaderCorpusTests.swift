import Foundation
import Testing

@testable import SigmaKit

/// The SigmaHQ corpus in `../shared/sigma/sigmahq` (skipped when the folder is absent).
@Suite(.enabled(if: LoaderFixture.sharedFolder != nil, "../shared is absent: the SigmaHQ corpus tests are skipped"))
struct LoaderCorpusTests {
    static var sigmahq: String { LoaderFixture.sharedFolder?.appendingPathComponent("sigma/sigmahq").path ?? "" }

    static let trees = ["rules", "rules-emerging-threats", "rules-threat-hunting", "rules-compliance"]

    /// All 3,757 files of the four trees load with zero errors, as in pySigma 2.0.1. Two emerging-threats rules
    /// use the custom placeholder `%known_cdcs%` under `|expand`: unconfigured, it stays in the value (refused
    /// when the rule is compiled, PH-02); configured, it expands.
    @Test(arguments: [false, true])
    func sigmaHQRuleTreesLoadWithoutErrors(configurePlaceholder: Bool) {
        let values = configurePlaceholder ? ["known_cdcs": ["dc01", "10.0.0.1"]] : [:]
        let options = LoaderOptions(placeholders: PlaceholderValues(values: values))
        let c = RuleLoader(options: options).load(paths: Self.trees.map { Self.sigmahq + "/" + $0 })
        #expect(c.filesRead == 3757)
        #expect(c.errors.isEmpty, "\(c.errors.prefix(20).map(\.description).joined(separator: "\n"))")
        #expect(c.rules.count == 3757)
        #expect(c.documentsRejected == 0)
    }

    /// `rules-placeholder/` loads with the wildcard strategy for unknown placeholders.
    @Test func placeholderRulesLoadWithTheWildcardStrategy() {
        let options = LoaderOptions(placeholders: PlaceholderValues(unresolvedAsWildcard: true))
        let c = RuleLoader(options: options).load(paths: [Self.sigmahq + "/rules-placeholder"])
        #expect(c.filesRead == 23)
        #expect(c.errors.isEmpty, "\(c.errors.prefix(5).map(\.description).joined(separator: "\n"))")
    }

    @Test func awsCloudTrailRulesLoad() {
        let c = RuleLoader().load(paths: [Self.sigmahq + "/rules/cloud/aws/cloudtrail"])
        #expect(c.errors.isEmpty)
        #expect(c.rules.count >= 50)
        #expect(c.rules.allSatisfy { $0.logsource.product == "aws" && $0.logsource.service == "cloudtrail" })
    }

    /// `deprecated/` and `unsupported/`: every failure is a positioned error, never a crash; the reasons are
    /// printed for the record.
    @Test(arguments: ["deprecated", "unsupported"])
    func legacyTreesFailOnlyWithPositionedErrors(tree: String) {
        let c = RuleLoader().load(paths: [Self.sigmahq + "/" + tree])
        #expect(c.filesRead > 50)
        #expect(c.errors.allSatisfy { $0.location != nil })
        var reasons: [String: Int] = [:]
        for error in c.errors {
            let reason = error.code + ": " + error.message.prefix(60)
            reasons[reason, default: 0] += 1
        }
        print("\(tree): \(c.filesRead) files, \(c.rules.count) rules loaded, \(c.documentsRejected) documents rejected")
        for (reason, count) in reasons.sorted(by: { $0.value > $1.value }) { print("  \(count)× \(reason)") }
    }
}
