import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Alerts appended to a JSON Lines file (`--output`), one per line, exactly once across crashes, rotated by size.
///
/// Exactly once: after each batch the file is `fsync`'d and its length is committed with the sink's cursor in
/// one transaction; on start the file is cut back to the committed length, so a line written but not committed
/// before a crash is written again once, never twice.
///
/// Rotation (`--rotate-size`, `--rotate-keep`): when the file reached the size, it is renamed `<file>.1` (older
/// ones shift to `.2`, …; beyond `keep` they are removed) and the rotation alone is committed (offset 0) before
/// anything is written to the new file. So a committed offset larger than the file means the rotation happened
/// and nothing was written since: the sink starts the new file at its current length.
public final class JSONLinesFileSink: AlertSink {
    public let path: String
    public let rotateSize: Int64
    public let keep: Int
    public var name: String { "file:" + path }
    private let state = Mutex<Int32>(-1)

    public init(path: String, rotateSize: Int64 = 100 << 20, keep: Int = 5) {
        self.path = path
        self.rotateSize = rotateSize
        self.keep = max(1, keep)
    }

    public func prepare(cursor: SinkCursor) async throws {
        let fd = try open()
        let size = Int64(lseek(fd, 0, SEEK_END))
        if let committed = cursor.fileOffset, committed < size {
            guard ftruncate(fd, off_t(committed)) == 0 else {
                throw WatchError("cannot cut \(path) back to \(committed) bytes: \(errnoText())")
            }
            _ = fsync(fd)
        }
        state.withLock { $0 = fd }
    }

    public func deliver(_ rows: [OutboxRow]) async throws -> DeliveryProgress {
        var fd = state.withLock { $0 }
        if fd < 0 {
            fd = try open()
            state.withLock { $0 = fd }
        }
        let size = Int64(lseek(fd, 0, SEEK_END))
        if size >= rotateSize {
            try rotate(fd)
            return DeliveryProgress(delivered: 0, fileOffset: 0)
        }
        var bytes: [UInt8] = []
        for row in rows {
            bytes.append(contentsOf: row.json.utf8)
            bytes.append(0x0A)
        }
        try write(fd, bytes)
        guard fsync(fd) == 0 else { throw WatchError("cannot sync \(path): \(errnoText())") }
        return DeliveryProgress(delivered: rows.count, fileOffset: size + Int64(bytes.count))
    }

    public func close() async {
        let fd = state.withLock { fd in
            defer { fd = -1 }
            return fd
        }
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    private func open() throws -> Int32 {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WatchError("cannot open the output file \(path): \(errnoText())") }
        return fd
    }

    private func write(_ fd: Int32, _ bytes: [UInt8]) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw WatchError("cannot write to \(path): \(errnoText())") }
            done += n
        }
    }

    private func rotate(_ fd: Int32) throws {
        _ = Glibc.close(fd)
        state.withLock { $0 = -1 }
        let manager = FileManager.default
        try? manager.removeItem(atPath: "\(path).\(keep)")
        for index in stride(from: keep - 1, through: 1, by: -1) where manager.fileExists(atPath: "\(path).\(index)") {
            try manager.moveItem(atPath: "\(path).\(index)", toPath: "\(path).\(index + 1)")
        }
        try manager.moveItem(atPath: path, toPath: "\(path).1")
        state.withLock { $0 = -1 }
        let fresh = try open()
        state.withLock { $0 = fresh }
    }
}
