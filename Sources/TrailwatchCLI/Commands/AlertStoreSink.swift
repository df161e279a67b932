import TrailwatchKit
import TrailwatchServer
import TrailwatchWatch

/// `watch --store`: alerts into the SQLite alert store of `serve`, one row per stable alert id (a redelivery
/// after a crash finds the row there and adds nothing). Lives here because TrailwatchWatch does not depend on
/// the server module.
struct AlertStoreSink: AlertSink {
    let store: AlertStore
    let path: String
    var name: String { "store:" + path }

    init(path: String) throws {
        store = try AlertStore(path: path)
        self.path = path
    }

    func deliver(_ rows: [OutboxRow]) async throws -> DeliveryProgress {
        // A line that does not decode (never expected: the watcher wrote it) is skipped rather than blocking.
        let decoded = rows.compactMap { row in row.alert.map { (row.alertID, $0) } }
        _ = try await store.insertAsync(decoded.map(\.1), source: "watch", alertIDs: decoded.map(\.0))
        return DeliveryProgress(delivered: rows.count)
    }
}
