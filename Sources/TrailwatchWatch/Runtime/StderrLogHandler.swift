import Foundation
import Logging
import Synchronization

/// A swift-log handler writing one line per message on standard error:
/// `2026-05-14T09:05:00.123Z info trailwatch.watch: item evaluated file=… alerts=2`.
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let label: String
    private static let lock = Mutex(())

    public init(label: String, level: Logger.Level = .info) {
        self.label = label
        logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        line += " \(event.level) \(label): \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() {
            let value = "\(merged[key]!)"
            line += " \(key)=" + (value.contains(" ") || value.isEmpty ? "\"\(value)\"" : value)
        }
        line += "\n"
        Self.lock.withLock { _ in FileHandle.standardError.write(Data(line.utf8)) }
    }
}
