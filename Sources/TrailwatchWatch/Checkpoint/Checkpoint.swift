import Foundation
import GRDB

/// The watcher's durable memory (SQLite through GRDB, WAL, `synchronous=FULL`): the items done, the alerts
/// waiting to be delivered (the outbox), how far each sink has delivered, and how far each growing JSON Lines
/// file was read.
///
/// Every change that must survive a crash as a whole is one transaction: an item with its alerts and its file
/// offset (``commit(_:alerts:growing:)``), a sink's cursor with its file offset (``advanceSink(_:to:fileOffset:)``).
/// Alerts enter the outbox with `INSERT OR IGNORE` on their stable id, so an event seen twice (a redelivery, a
/// replay of correlation state after a restart) is delivered once.
public final class Checkpoint: Sendable {
    private let pool: DatabasePool
    /// The database file.
    public let path: String

    /// Opens (creating it and its folder if needed) the checkpoint at `path`.
    /// - Throws: ``WatchError`` naming the file when it cannot be opened or is not a checkpoint.
    public init(path: String) throws(WatchError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // FULL: a committed transaction survives a power loss, not only a process crash (WAL's default is NORMAL).
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        do {
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            try Checkpoint.migrator.migrate(pool)
        } catch {
            throw WatchError("cannot open the checkpoint \(path): \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE item(
                        key TEXT PRIMARY KEY, name TEXT NOT NULL, done_at INTEGER NOT NULL,
                        events INTEGER NOT NULL, alerts INTEGER NOT NULL,
                        min_event_ms INTEGER, max_event_ms INTEGER, error TEXT);
                    CREATE INDEX item_max_event ON item(max_event_ms);
                    CREATE TABLE outbox(
                        seq INTEGER PRIMARY KEY AUTOINCREMENT, alert_id TEXT NOT NULL UNIQUE,
                        item_key TEXT NOT NULL, alert_json TEXT NOT NULL, created_at INTEGER NOT NULL);
                    CREATE TABLE sink(name TEXT PRIMARY KEY, delivered_seq INTEGER NOT NULL, file_offset INTEGER);
                    CREATE TABLE growing(path TEXT PRIMARY KEY, offset INTEGER NOT NULL, inode INTEGER NOT NULL);
                    """)
        }
        return migrator
    }

    // MARK: Items

    /// Whether an item was committed.
    public func isDone(_ key: String) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM item WHERE key = ?", arguments: [key]) ?? false
        }
    }

    /// Records an evaluated item, its alerts and (for a range of a growing file) the file's new offset in one
    /// transaction.
    /// - Returns: the outbox's last sequence number after the commit: once every sink has delivered up to it,
    ///   every alert of the item is out (those already in the outbox from an earlier item included).
    @discardableResult
    public func commit(_ item: ItemRecord, alerts: [OutboxAlert], growing: GrowingOffset? = nil) async throws
        -> Int64
    {
        try await pool.write { db in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO item(key, name, done_at, events, alerts, min_event_ms, max_event_ms, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    item.key, item.name, now, item.events, item.alerts, item.minEventMillis, item.maxEventMillis,
                    item.error,
                ])
            for alert in alerts {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO outbox(alert_id, item_key, alert_json, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [alert.id, item.key, alert.json, now])
            }
            if let growing {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO growing(path, offset, inode) VALUES (?, ?, ?)",
                    arguments: [growing.path, growing.offset, Int64(bitPattern: growing.inode)])
            }
            return try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM outbox") ?? 0
        }
    }

    /// Items committed.
    public func itemCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item") ?? 0 }
    }

    /// The newest event time of every committed item, nil when none had a timed event.
    public func newestEventMillis() async throws -> Int64? {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(max_event_ms) FROM item") }
    }

    /// Items whose newest event is at or after `millis`, oldest first: what a restart replays to rebuild
    /// correlation state.
    public func items(endingAtOrAfter millis: Int64) async throws -> [(key: String, name: String)] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT key, name FROM item WHERE max_event_ms >= ? ORDER BY min_event_ms, key",
                arguments: [millis]
            ).map { ($0["key"], $0["name"]) }
        }
    }

    // MARK: Growing files

    /// How far a growing file was read (path relative to the watched root), nil when never.
    public func growingOffset(_ path: String) async throws -> GrowingOffset? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT offset, inode FROM growing WHERE path = ?", arguments: [path]).map {
                GrowingOffset(path: path, offset: $0["offset"], inode: UInt64(bitPattern: $0["inode"]))
            }
        }
    }

    /// Starts a growing file again at 0 (it was truncated or replaced) and forgets the ranges read from it, in
    /// one transaction; its alerts stay in the outbox, so the same events read again are not delivered twice.
    public func restartGrowing(_ path: String, inode: UInt64, rangeKeyPrefix: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO growing(path, offset, inode) VALUES (?, 0, ?)",
                arguments: [path, Int64(bitPattern: inode)])
            try db.execute(
                sql: "DELETE FROM item WHERE substr(key, 1, ?) = ?",
                arguments: [rangeKeyPrefix.utf8.count, rangeKeyPrefix])
        }
    }

    // MARK: Outbox and sinks

    /// Outbox rows after `seq`, in order, at most `limit`.
    public func outbox(after seq: Int64, limit: Int) async throws -> [OutboxRow] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT seq, alert_id, item_key, alert_json FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                arguments: [seq, limit]
            ).map {
                OutboxRow(seq: $0["seq"], alertID: $0["alert_id"], itemKey: $0["item_key"], json: $0["alert_json"])
            }
        }
    }

    /// The last outbox sequence number (0 when empty).
    public func lastSeq() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM outbox") ?? 0 }
    }

    /// Every alert id in the outbox (tests, reports).
    public func alertIDs() async throws -> Set<String> {
        try await pool.read { db in Set(try String.fetchAll(db, sql: "SELECT alert_id FROM outbox")) }
    }

    /// A sink's cursor: the last sequence number it delivered (0 for a new sink, which then delivers everything
    /// the outbox holds) and, for a file sink, the file's length when that was committed.
    public func sinkCursor(_ name: String) async throws -> SinkCursor {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT delivered_seq, file_offset FROM sink WHERE name = ?", arguments: [name])
            else { return SinkCursor(deliveredSeq: 0, fileOffset: nil) }
            return SinkCursor(deliveredSeq: row["delivered_seq"], fileOffset: row["file_offset"])
        }
    }

    /// Moves a sink's cursor (and its file offset) in one transaction.
    public func advanceSink(_ name: String, to seq: Int64, fileOffset: Int64? = nil) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO sink(name, delivered_seq, file_offset) VALUES (?, ?, ?)",
                arguments: [name, seq, fileOffset])
        }
    }
}

/// What the checkpoint keeps about an evaluated item.
public struct ItemRecord: Sendable, Hashable {
    public var key: String
    public var name: String
    /// Records read.
    public var events: Int
    public var alerts: Int
    /// Oldest and newest event times (milliseconds), nil when no event had a time.
    public var minEventMillis: Int64?
    public var maxEventMillis: Int64?
    /// Why the item could not be read (wholly or partly), nil when it was read to its end.
    public var error: String?

    public init(
        key: String, name: String, events: Int, alerts: Int, minEventMillis: Int64? = nil,
        maxEventMillis: Int64? = nil, error: String? = nil
    ) {
        self.key = key
        self.name = name
        self.events = events
        self.alerts = alerts
        self.minEventMillis = minEventMillis
        self.maxEventMillis = maxEventMillis
        self.error = error
    }
}

/// An alert entering the outbox: its stable id and its JSON line (without the newline).
public struct OutboxAlert: Sendable, Hashable {
    public var id: String
    public var json: String
    public init(id: String, json: String) {
        self.id = id
        self.json = json
    }
}

/// An alert in the outbox, in delivery order.
public struct OutboxRow: Sendable, Hashable {
    public var seq: Int64
    public var alertID: String
    public var itemKey: String
    /// The alert as one JSON object (the `--output` line).
    public var json: String

    public init(seq: Int64, alertID: String, itemKey: String, json: String) {
        self.seq = seq
        self.alertID = alertID
        self.itemKey = itemKey
        self.json = json
    }
}

/// How far a growing file was read: `offset` is just past the last complete line evaluated.
public struct GrowingOffset: Sendable, Hashable {
    /// Relative to the watched root.
    public var path: String
    public var offset: Int64
    /// The file's inode when read, to notice a file replaced under the same name.
    public var inode: UInt64

    public init(path: String, offset: Int64, inode: UInt64) {
        self.path = path
        self.offset = offset
        self.inode = inode
    }
}

/// A sink's position in the outbox.
public struct SinkCursor: Sendable, Hashable {
    public var deliveredSeq: Int64
    /// For a JSON Lines file sink: the length of the current file when `deliveredSeq` was committed.
    public var fileOffset: Int64?

    public init(deliveredSeq: Int64, fileOffset: Int64?) {
        self.deliveredSeq = deliveredSeq
        self.fileOffset = fileOffset
    }
}

/// A problem that stops `watch` with a message naming the file or setting at fault.
public struct WatchError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
