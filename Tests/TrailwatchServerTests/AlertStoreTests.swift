import CloudTrail
import Foundation
import SigmaKit
import Testing
import TrailwatchKit
import TrailwatchServer

/// The SQLite alert store: insert, deduplication, filters, order, paging, status, and sharing a file.
struct AlertStoreTests {
    static func alert(
        rule: String = "r1", event: String?, time: String, level: Level = .medium, identity: String? = nil,
        account: String? = nil
    ) -> Alert {
        var alert = Alert(
            ruleID: rule, ruleTitle: "Rule \(rule)", level: level, status: .test, tags: ["attack.initial-access"],
            eventTime: time, eventTimeMillis: Timestamp.milliseconds(time))
        alert.eventID = event
        alert.identity = identity
        alert.account = account
        alert.enrichment = [("example", .object([("key", .string("value"))]))]
        alert.rawEvent = "{\"eventID\":\"\(event ?? "")\"}"
        return alert
    }

    @Test func insertsOncePerRuleAndEvent() async throws {
        let store = try AlertStore()
        let first = try store.insert(
            [
                Self.alert(event: "e1", time: "2024-01-01T00:00:00Z"),
                Self.alert(rule: "r2", event: "e1", time: "2024-01-01T00:00:00Z"),
            ],
            source: "scan")
        #expect(first.map(\.isNew) == [true, true])
        #expect(first.compactMap(\.alert.id).count == 2)
        _ = try await store.setStatus(.acknowledged, id: try #require(first[0].alert.id))
        let again = try store.insert([Self.alert(event: "e1", time: "2024-01-01T00:00:00Z")], source: "api")
        #expect(again.first?.isNew == false)
        #expect(again.first?.alert.status == .acknowledged)  // the stored copy, status kept
        // Without an event id nothing identifies the event: each is kept.
        _ = try store.insert([Self.alert(event: nil, time: "2024-01-02T00:00:00Z")], source: "api")
        _ = try store.insert([Self.alert(event: nil, time: "2024-01-02T00:00:00Z")], source: "api")
        #expect(try await store.alerts(matching: .init()).total == 4)
    }

    @Test func insertsOncePerStableAlertIDEvenWithoutAnEventID() async throws {
        let store = try AlertStore()
        // `watch` gives each alert's stable id: a correlation alert (no event id) delivered twice is stored once.
        let correlation = Self.alert(rule: "burst", event: nil, time: "2024-01-03T00:00:00Z")
        let first = try store.insert([correlation], source: "watch", alertIDs: ["id-1"])
        let again = try store.insert([correlation], source: "watch", alertIDs: ["id-1"])
        #expect(first.map(\.isNew) == [true])
        #expect(again.map(\.isNew) == [false])
        #expect(again.first?.alert.alertId == "id-1")
        // Alerts with an event id get their stable id whoever stores them.
        let scanned = try store.insert([Self.alert(event: "e9", time: "2024-01-01T00:00:00Z")], source: "scan")
        #expect(scanned.first?.alert.alertId == Self.alert(event: "e9", time: "2024-01-01T00:00:00Z").stableID)
        #expect(try await store.alerts(matching: .init()).total == 2)
    }

    @Test func filtersOrdersAndPages() async throws {
        let store = try AlertStore()
        _ = try store.insert(
            [
                Self.alert(
                    event: "a", time: "2024-01-01T00:00:00Z", level: .low, identity: "arn:aws:iam::1:user/Alice",
                    account: "1"),
                Self.alert(
                    event: "b", time: "2024-03-01T00:00:00Z", level: .high, identity: "arn:aws:iam::2:role/ci",
                    account: "2"),
                Self.alert(rule: "r2", event: "c", time: "2024-02-01T00:00:00Z", level: .critical, account: "1"),
                Self.alert(event: "d", time: "not a time"),
            ], source: "scan")
        let all = try await store.alerts(matching: .init())
        #expect(all.items.map(\.eventId) == ["b", "c", "a", "d"])  // newest first, unparsable times last
        #expect(try await store.alerts(matching: .init(ruleID: "r2")).items.map(\.eventId) == ["c"])
        #expect(
            try await store.alerts(matching: .init(levels: [.high, .critical])).items.map(\.eventId) == ["b", "c"])
        #expect(try await store.alerts(matching: .init(identity: "alice")).items.map(\.eventId) == ["a"])
        #expect(try await store.alerts(matching: .init(identity: "%")).total == 0)  // no LIKE wildcards
        #expect(try await store.alerts(matching: .init(account: "1")).items.map(\.eventId) == ["c", "a"])
        let from = try #require(Timestamp.milliseconds("2024-01-15T00:00:00Z"))
        let to = try #require(Timestamp.milliseconds("2024-02-15T00:00:00Z"))
        #expect(try await store.alerts(matching: .init(from: from, to: to)).items.map(\.eventId) == ["c"])
        let page2 = try await store.alerts(matching: .init(page: 2, pageSize: 3))
        #expect(page2.items.map(\.eventId) == ["d"])
        #expect(page2.pageCount == 2)
        let beyond = try await store.alerts(matching: .init(page: 99, pageSize: 3))
        #expect(beyond.page == 2)
        let counts = try await store.ruleCounts()
        #expect(counts.map(\.ruleID) == ["r1", "r2"])
        #expect(counts.first?.count == 3)
    }

    @Test func statusPersistsInTheFileAcrossOpenings() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tw-\(UUID().uuidString)/a/alerts.sqlite"
        ).path
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let id: Int64
        do {
            let store = try AlertStore(path: path)
            id = try #require(
                try store.insert([Self.alert(event: "e", time: "2024-01-01T00:00:00Z")], source: "scan").first?.alert.id
            )
            #expect(try await store.setStatus(.closed, id: id)?.status == .closed)
            #expect(try await store.setStatus(.closed, id: id + 100) == nil)
        }
        let reopened = try AlertStore(path: path)
        let alert = try #require(try await reopened.alert(id: id))
        #expect(alert.status == .closed)
        #expect(alert.event == "{\"eventID\":\"e\"}")
        #expect(alert.enrichment == "{\"example\":{\"key\":\"value\"}}")
        #expect(alert.tagList == ["attack.initial-access"])
        #expect(try await reopened.statusCounts() == [.closed: 1])
    }

    @Test func defaultPathFollowsXDG() {
        #expect(
            AlertStore.defaultPath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/u"])
                == "/data/trailwatch/alerts.sqlite")
        #if os(Linux)
            #expect(
                AlertStore.defaultPath(environment: ["HOME": "/home/u"])
                    == "/home/u/.local/share/trailwatch/alerts.sqlite")
            // A relative XDG_DATA_HOME is invalid per the specification and ignored.
            #expect(
                AlertStore.defaultPath(environment: ["XDG_DATA_HOME": "rel", "HOME": "/home/u"])
                    == "/home/u/.local/share/trailwatch/alerts.sqlite")
        #endif
    }
}
