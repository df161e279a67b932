import SigmaKit
import Testing

/// The rule index: rules are tried only on events that carry a value they require, and the index never changes
/// what matches.
struct RuleIndexTests {
    static func compile(_ detection: String) throws -> RuleSet {
        let collection = RuleLoader().load(yaml: ruleYAML(detection), path: "i.yml")
        return RuleSet(rules: collection.rules, options: RuleSetOptions(indexFields: ["eventName", "eventSource"]))
    }

    @Test func rulesPinnedOnEventNameAreFiledUnderIt() throws {
        let set = try Self.compile("sel:\n    eventSource: ec2.amazonaws.com\n    eventName: [A, B]")
        #expect(set.rules[0].indexKey?.field == "eventName")
        #expect(set.rules[0].indexKey?.values == ["a", "b"])
        #expect(try ruleMatches(set, #"{"eventSource":"ec2.amazonaws.com","eventName":"b"}"#))
        #expect(try !ruleMatches(set, #"{"eventSource":"ec2.amazonaws.com","eventName":"C"}"#))
    }

    @Test func otherLiteralFieldsIndexRulesWithoutEventName() throws {
        let set = try Self.compile(
            "selection_usertype:\n    userIdentity.type: Root\nselection_eventtype:\n    eventType: AwsServiceEvent\n"
                + "condition: selection_usertype and not selection_eventtype")
        #expect(set.rules[0].indexKey?.field == "userIdentity.type")
        #expect(try ruleMatches(set, #"{"userIdentity":{"type":"Root"},"eventType":"AwsApiCall"}"#))
        #expect(try !ruleMatches(set, #"{"userIdentity":{"type":"Root"},"eventType":"AwsServiceEvent"}"#))
        #expect(try !ruleMatches(set, #"{"userIdentity":{"type":"IAMUser"}}"#))
    }

    @Test(arguments: [
        "sel: {eventName|startswith: Delete}",
        "sel: {eventName: Delete}\ncondition: not sel",
        "sel: {a: 1}\nother: {eventName: X}\ncondition: sel or other",
    ])
    func rulesWithoutARequiredLiteralRunOnEveryEvent(detection: String) throws {
        let set = try Self.compile(detection)
        #expect(set.rules[0].indexKey == nil)
    }

    @Test func orOfPinnedBranchesIsTheUnion() throws {
        let set = try Self.compile("a: {eventName: X}\nb: {eventName: [Y, Z]}\ncondition: a or b")
        #expect(set.rules[0].indexKey?.values == ["x", "y", "z"])
        #expect(try ruleMatches(set, #"{"eventName":"Z"}"#))
    }
}
