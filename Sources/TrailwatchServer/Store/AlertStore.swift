import Foundation
import GRDB
import SigmaKit
import TrailwatchKit

/// Where an alert stands in triage. Persisted with the alert; a new alert is `new`.
public enum AlertStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case new, acknowledged, closed
}

/// An alert as stored: the facts of ``TrailwatchKit/Alert`` plus its store id, triage status and arrival.
public struct StoredAlert: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "alert"

    /// The store's id (positive, assigned on insert).
    public var id: Int64?
    public var status: AlertStatus
    /// When the store received the alert (milliseconds since the epoch).
    public var receivedAt: Int64
    /// Who delivered it: `scan` or `api`.
    public var source: String
    public var ruleId: String
    public var ruleTitle: String
    public var level: String
    public var effectiveLevel: String
    /// `effectiveLevel` as a number (0 informational … 4 critical), for filtering.
    public var effectiveLevelRank: Int
    public var eventTime: String
    public var eventTimeMillis: Int64?
    public var eventId: String?
    public var eventSource: String?
    public var eventName: String?
    public var account: String?
    public var region: String?
    public var identity: String?
    public var identityType: String?
    public var sourceIp: String?
    public var userAgent: String?
    public var errorCode: String?
    public var errorMessage: String?
    public var summary: String?
    public var origin: String?
    /// The rule's tags, one per line.
    public var tags: String
    /// The enrichment as a JSON object text (`{}` when none).
    public var enrichment: String
    /// The whole event as JSON text, when it was kept.
    public var event: String?
    /// The alert's stable id (``TrailwatchKit/Alert/stableID``): one row per id, whoever delivers it.
    public var alertId: String?

    /// Converts an alert from a scan or an ingestion.
    public init(_ alert: Alert, source: String, receivedAt: Date = Date()) {
        id = nil
        status = .new
        self.receivedAt = Int64(receivedAt.timeIntervalSince1970 * 1000)
        self.source = source
        ruleId = alert.ruleID
        ruleTitle = alert.ruleTitle
        level = alert.level.rawValue
        effectiveLevel = alert.effectiveLevel.rawValue
        effectiveLevelRank = alert.effectiveLevel.rank
        eventTime = alert.eventTime
        eventTimeMillis = alert.eventTimeMillis
        eventId = alert.eventID
        eventSource = alert.eventSource
        eventName = alert.eventName
        account = alert.account
        region = alert.region
        identity = alert.identity
        identityType = alert.identityType
        sourceIp = alert.sourceIP
        userAgent = alert.userAgent
        errorCode = alert.errorCode
        errorMessage = alert.errorMessage
        summary = alert.summary
        origin = alert.origin
        tags = alert.tags.joined(separator: "\n")
        enrichment = JSONRecord.object(alert.enrichment.map { ($0.key, $0.value) }).rendered()
        event = alert.rawEvent
        alertId = alert.stableID
    }

    /// The rule's tags.
    public var tagList: [String] { tags.isEmpty ? [] : tags.split(separator: "\n").map(String.init) }
    /// "succeeded", or the error code.
    public var outcome: String { errorCode ?? "succeeded" }
    /// True when enrichment raised the level above the rule's.
    public var isRaised: Bool { effectiveLevel != level }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// Which alerts to list: every set field must match.
public struct AlertQuery: Sendable, Hashable {
    /// Rule id (exact).
    public var ruleID: String?
    /// Effective levels (any of).
    public var levels: Set<Level>
    /// Text the identity (ARN or type) contains, case-insensitive.
    public var identity: String?
    /// Account id (exact).
    public var account: String?
    /// Event time at or after (milliseconds since the epoch).
    public var from: Int64?
    /// Event time at or before.
    public var to: Int64?
    /// Triage statuses (any of; empty: all).
    public var statuses: Set<AlertStatus>
    /// 1-based.
    public var page: Int
    public var pageSize: Int

    public static let maxPageSize = 500

    public init(
        ruleID: String? = nil, levels: Set<Level> = [], identity: String? = nil, account: String? = nil,
        from: Int64? = nil, to: Int64? = nil, statuses: Set<AlertStatus> = [], page: Int = 1, pageSize: Int = 50
    ) {
        self.ruleID = ruleID
        self.levels = levels
        self.identity = identity
        self.account = account
        self.from = from
        self.to = to
        self.statuses = statuses
        self.page = page
        self.pageSize = pageSize
    }
}

/// One page of alerts, newest first.
public struct AlertPage: Sendable {
    public var total: Int
    public var page: Int
    public var pageCount: Int
    public var pageSize: Int
    public var items: [StoredAlert]
}

/// The outcome of storing one alert.
public struct StoreOutcome: Sendable, Hashable {
    public var alert: StoredAlert
    /// False when the same rule had already fired on the same event id (the stored alert, with its status, is
    /// returned instead).
    public var isNew: Bool
}

/// Alerts in an embedded SQLite database (GRDB), shared by `trailwatch scan --store` and `trailwatch serve`.
///
/// One alert per (rule, event id): storing the same detection again (a rescan, a redelivered event) keeps the
/// first copy and its triage status. Safe to use from several tasks and processes (WAL, busy timeout).
public final class AlertStore: Sendable {
    private let writer: any DatabaseWriter
    /// The database file, nil for an in-memory store.
    public let path: String?

    /// Opens (creating if needed, with its folder) the store at `path`.
    public init(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        // `scan --store` may write while the server reads or writes.
        configuration.busyMode = .timeout(10)
        writer = try DatabasePool(path: path, configuration: configuration)
        self.path = path
        try AlertStore.migrator.migrate(writer)
    }

    /// An empty store in memory (tests, or a server started with `--store :memory:`).
    public init() throws {
        writer = try DatabaseQueue()
        path = nil
        try AlertStore.migrator.migrate(writer)
    }

    /// `$XDG_DATA_HOME/trailwatch/alerts.sqlite`, else `~/.local/share/trailwatch/alerts.sqlite`
    /// (`~/Library/Application Support/trailwatch/alerts.sqlite` on macOS).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return xdg + "/trailwatch/alerts.sqlite"
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        #if os(macOS)
            return home + "/Library/Application Support/trailwatch/alerts.sqlite"
        #else
            return home + "/.local/share/trailwatch/alerts.sqlite"
        #endif
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "alert") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("status", .text).notNull().defaults(to: AlertStatus.new.rawValue)
                t.column("receivedAt", .integer).notNull()
                t.column("source", .text).notNull()
                t.column("ruleId", .text).notNull()
                t.column("ruleTitle", .text).notNull()
                t.column("level", .text).notNull()
                t.column("effectiveLevel", .text).notNull()
                t.column("effectiveLevelRank", .integer).notNull()
                t.column("eventTime", .text).notNull()
                t.column("eventTimeMillis", .integer)
                for name in [
                    "eventId", "eventSource", "eventName", "account", "region", "identity", "identityType",
                    "sourceIp", "userAgent", "errorCode", "errorMessage", "summary", "origin",
                ] {
                    t.column(name, .text)
                }
                t.column("tags", .text).notNull()
                t.column("enrichment", .text).notNull()
                t.column("event", .text)
            }
            // One alert per rule and event: a rescan or a redelivery does not duplicate it.
            try db.execute(
                sql: "CREATE UNIQUE INDEX alert_rule_event ON alert(ruleId, eventId) WHERE eventId IS NOT NULL")
            try db.create(index: "alert_newest", on: "alert", columns: ["eventTimeMillis", "id"])
            try db.create(index: "alert_account", on: "alert", columns: ["account"])
        }
        // `trailwatch watch --store` delivers by stable alert id (a correlation alert has no event id).
        migrator.registerMigration("v2-alert-id") { db in
            try db.alter(table: "alert") { t in t.add(column: "alertId", .text) }
            try db.execute(sql: "CREATE UNIQUE INDEX alert_alert_id ON alert(alertId) WHERE alertId IS NOT NULL")
        }
        return migrator
    }

    /// Stores alerts (one transaction), returning each as stored.
    /// - Parameter alertIDs: the alerts' stable ids when the caller has them (`watch`, whose alerts come back
    ///   from their JSON lines without correlation details); computed from each alert otherwise.
    public func insert(_ alerts: [Alert], source: String, alertIDs: [String]? = nil) throws -> [StoreOutcome] {
        try writer.write { db in try AlertStore.insert(alerts, source: source, alertIDs: alertIDs, db: db) }
    }

    /// ``insert(_:source:alertIDs:)`` without blocking the caller's thread.
    public func insertAsync(_ alerts: [Alert], source: String, alertIDs: [String]? = nil) async throws
        -> [StoreOutcome]
    {
        try await writer.write { db in try AlertStore.insert(alerts, source: source, alertIDs: alertIDs, db: db) }
    }

    private static func insert(_ alerts: [Alert], source: String, alertIDs: [String]?, db: Database) throws
        -> [StoreOutcome]
    {
        let now = Date()
        var outcomes: [StoreOutcome] = []
        outcomes.reserveCapacity(alerts.count)
        for (index, alert) in alerts.enumerated() {
            var row = StoredAlert(alert, source: source, receivedAt: now)
            if let alertIDs, index < alertIDs.count { row.alertId = alertIDs[index] }
            if let alertID = row.alertId,
                let existing = try StoredAlert.filter(Column("alertId") == alertID).fetchOne(db)
            {
                outcomes.append(StoreOutcome(alert: existing, isNew: false))
                continue
            }
            if let eventID = row.eventId,
                let existing = try StoredAlert.filter(Column("ruleId") == row.ruleId && Column("eventId") == eventID)
                    .fetchOne(db)
            {
                outcomes.append(StoreOutcome(alert: existing, isNew: false))
                continue
            }
            try row.insert(db)
            outcomes.append(StoreOutcome(alert: row, isNew: true))
        }
        return outcomes
    }

    /// One alert by id.
    public func alert(id: Int64) async throws -> StoredAlert? {
        try await writer.read { db in try StoredAlert.fetchOne(db, key: id) }
    }

    /// Sets an alert's triage status; nil when there is no such alert.
    public func setStatus(_ status: AlertStatus, id: Int64) async throws -> StoredAlert? {
        try await writer.write { db in
            guard var alert = try StoredAlert.fetchOne(db, key: id) else { return nil }
            alert.status = status
            try alert.update(db, columns: ["status"])
            return alert
        }
    }

    /// Alerts matching `query`, newest first (by event time, then arrival).
    public func alerts(matching query: AlertQuery) async throws -> AlertPage {
        try await writer.read { db in
            var request = StoredAlert.all()
            if let rule = query.ruleID { request = request.filter(Column("ruleId") == rule) }
            if !query.levels.isEmpty {
                request = request.filter(query.levels.map(\.rank).contains(Column("effectiveLevelRank")))
            }
            if let identity = query.identity, !identity.isEmpty {
                request = request.filter(sql: "instr(lower(identity), lower(?)) > 0", arguments: [identity])
            }
            if let account = query.account, !account.isEmpty { request = request.filter(Column("account") == account) }
            if let from = query.from { request = request.filter(Column("eventTimeMillis") >= from) }
            if let to = query.to { request = request.filter(Column("eventTimeMillis") <= to) }
            if !query.statuses.isEmpty {
                request = request.filter(query.statuses.map(\.rawValue).contains(Column("status")))
            }
            let total = try request.fetchCount(db)
            let pageSize = min(max(1, query.pageSize), AlertQuery.maxPageSize)
            let pageCount = max(1, (total + pageSize - 1) / pageSize)
            let page = min(max(1, query.page), pageCount)
            let items = try request.order(Column("eventTimeMillis").desc, Column("id").desc)
                .limit(pageSize, offset: (page - 1) * pageSize).fetchAll(db)
            return AlertPage(total: total, page: page, pageCount: pageCount, pageSize: pageSize, items: items)
        }
    }

    /// Rules that have alerts, with their counts (most alerts first), for the alert list's rule filter.
    public func ruleCounts() async throws -> [(ruleID: String, title: String, count: Int)] {
        try await writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT ruleId, MAX(ruleTitle) AS title, COUNT(*) AS n FROM alert
                    GROUP BY ruleId ORDER BY n DESC, title
                    """)
            return rows.map { ($0["ruleId"], $0["title"], $0["n"]) }
        }
    }

    /// The number of stored alerts per status.
    public func statusCounts() async throws -> [AlertStatus: Int] {
        try await writer.read { db in
            var counts: [AlertStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM alert GROUP BY status") {
                if let status = AlertStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }
}
