import SigmaKit
import Testing
import TrailwatchKit

@Suite struct StableIDTests {
    func alert(rule: String = "r1", eventID: String? = "e1", origin: String? = "a.json:1") -> Alert {
        var alert = Alert(
            ruleID: rule, ruleTitle: "T", level: .high, status: nil, tags: [], eventTime: "2024-05-14T10:00:00Z",
            eventTimeMillis: 0)
        alert.eventID = eventID
        alert.origin = origin
        return alert
    }

    @Test func theIdIsFixedAcrossProcessesAndReleases() {
        // A literal: the id must never change, or a restart after an upgrade would deliver alerts again.
        var hash = StableHash()
        hash.combine("event")
        hash.combine("r1")
        hash.combine("e1")
        #expect(alert().stableID == hash.hex)
        #expect(alert().stableID.count == 32)
        #expect(alert().stableID == StableIDTests.expectedR1E1)
    }

    static let expectedR1E1 = "2cf833de88bb12ad366d1a0a3ceb027a"

    @Test func theIdDependsOnRuleAndEventNotOnWhereTheEventWasRead() {
        #expect(alert(origin: "b.json:9").stableID == alert().stableID)
        #expect(alert(rule: "r2").stableID != alert().stableID)
        #expect(alert(eventID: "e2").stableID != alert().stableID)
        // Texts are separated: ("r1", "e1") is not ("r1e", "1").
        #expect(alert(rule: "r1e", eventID: "1").stableID != alert().stableID)
    }

    @Test func withoutAnEventIdTheOriginAndTimeStandIn() {
        #expect(alert(eventID: nil).stableID != alert(eventID: nil, origin: "a.json:2").stableID)
        #expect(alert(eventID: nil).stableID == alert(eventID: nil).stableID)
    }
}
