import Foundation
import Testing

@testable import TrailwatchWatch

@Suite struct WebhookTests {
    func fastPolicy(retries: Int) -> WebhookSink.Policy {
        var policy = WebhookSink.Policy()
        policy.timeout = 0.3
        policy.retries = retries
        policy.baseDelay = 0.05
        policy.maxDelay = 0.2
        return policy
    }

    func drop(_ count: Int, in root: String, prefix: String) throws {
        for index in 0..<count {
            try Fixtures.writeThenRename(
                Fixtures.deliveryFile([Fixtures.openIngressEvent(id: "\(prefix)-\(index)")]),
                to: root + "/\(prefix)-\(index).json")
        }
    }

    @Test func aFailingHangingThenSlowWebhookDoesNotStopEvaluationAndGetsEverythingAfterRecovery() async throws {
        let receiver = try WebhookReceiver()
        try receiver.set("fail")
        let harness = try WatchHarness { configuration in
            configuration.webhooks = [receiver.url]
            configuration.webhookPolicy = fastPolicy(retries: 1000)
        }
        try drop(3, in: harness.root, prefix: "down")
        // Evaluation and the file output go on while the webhook fails.
        let k = Fixtures.alertsPerIngressEvent
        #expect(await eventually { harness.outputIDs.count == 3 * k })
        try receiver.set("hang")
        try drop(2, in: harness.root, prefix: "hung")
        #expect(await eventually { harness.outputIDs.count == 5 * k })
        #expect(receiver.keys.isEmpty)
        try receiver.set("slow 0.2")
        #expect(await eventually(timeout: 20) { Set(receiver.keys).count == 5 * k })
        #expect(Set(receiver.keys) == Set(harness.outputIDs))
        #expect(receiver.keysMatchBodies)
        try await harness.finish()
    }

    @Test func afterTheLastRetryOrARefusalTheAlertIsDeadLettered() async throws {
        let receiver = try WebhookReceiver()
        try receiver.set("fail")
        let deadLetter = try Fixtures.temporaryDirectory("dead") + "/dead.jsonl"
        let harness = try WatchHarness(once: false) { configuration in
            configuration.webhooks = [receiver.url]
            configuration.webhookPolicy = fastPolicy(retries: 2)
            configuration.deadLetterPath = deadLetter
        }
        try drop(1, in: harness.root, prefix: "retried")
        #expect(await eventually { ((try? String(contentsOfFile: deadLetter, encoding: .utf8)) ?? "").contains("after 2 retries") })
        try receiver.set("refuse")
        try drop(1, in: harness.root, prefix: "refused")
        #expect(await eventually {
            ((try? String(contentsOfFile: deadLetter, encoding: .utf8)) ?? "").contains("HTTP 400")
        })
        try await harness.finish()
        let records = try String(contentsOfFile: deadLetter, encoding: .utf8).split(separator: "\n")
        #expect(records.count == 2 * Fixtures.alertsPerIngressEvent)
        let ids = try records.map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["sink"] as? String == "webhook:" + receiver.url)
            return try #require(object["alert_id"] as? String)
        }
        #expect(Set(ids) == Set(harness.outputIDs))
        #expect(receiver.keys.isEmpty)
    }

    @Test func slackFormatPostsText() async throws {
        let row = OutboxRow(
            seq: 1, alertID: "abc", itemKey: "file:x",
            json: "{\"alert_id\":\"abc\",\"title\":\"Open SG\",\"effectiveLevel\":\"high\",\"eventName\":\"X\"}")
        let body = SlackMessage.body(for: row)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let text = try #require(object["text"] as? String)
        #expect(text.contains("[HIGH] Open SG"))
        #expect(text.contains("alert_id: abc"))
    }
}
