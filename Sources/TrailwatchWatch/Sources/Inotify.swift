import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What the directory source hears from the kernel (or from its own clock).
enum TreeSignal: Sendable {
    /// Something happened to `path` (a file closed after writing, moved in, created, modified; a folder made);
    /// `isComplete` when the writer is done with it (closed after writing, or renamed into place).
    case changed(path: String, isDirectory: Bool, isComplete: Bool)
    /// The kernel's queue overflowed or a watch was lost: walk the tree again.
    case rescan
    /// Nothing happened for a while (lets the source check files still settling).
    case tick
}

#if canImport(Glibc)
    /// Linux inotify over a tree: one watch per folder (added as folders appear), read on a dedicated thread with
    /// `poll` and a short timeout so that ``stop()`` is honoured promptly.
    final class InotifyWatcher: Sendable {
        private let fd: Int32
        private let folders = Mutex<[Int32: String]>([:])
        private let running = Atomic<Bool>(true)

        // inotify masks (sys/inotify.h), spelled out: some are macros Swift imports with differing types.
        static let closeWrite: UInt32 = 0x0000_0008
        static let modify: UInt32 = 0x0000_0002
        static let movedTo: UInt32 = 0x0000_0080
        static let create: UInt32 = 0x0000_0100
        static let deleteSelf: UInt32 = 0x0000_0400
        static let moveSelf: UInt32 = 0x0000_0800
        static let overflow: UInt32 = 0x0000_4000
        static let ignored: UInt32 = 0x0000_8000
        static let isDir: UInt32 = 0x4000_0000
        static let onlyDir: UInt32 = 0x0100_0000
        static let watched = closeWrite | modify | movedTo | create | deleteSelf | moveSelf | onlyDir

        /// Nil when inotify is not available (then the source polls).
        init?() {
            let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard fd >= 0 else { return nil }
            self.fd = fd
        }

        /// Watches one folder; false when it cannot be watched (gone, or the watch limit is reached).
        @discardableResult
        func watch(folder: String) -> Bool {
            let wd = inotify_add_watch(fd, folder, Self.watched)
            guard wd >= 0 else { return false }
            folders.withLock { $0[wd] = folder }
            return true
        }

        /// Starts the reading thread; signals go to `sink` until ``stop()``.
        func start(tick: Double, sink: @escaping @Sendable (TreeSignal) -> Void) {
            let thread = Thread { [self] in
                var buffer = [UInt8](repeating: 0, count: 64 * 1024)
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                while running.load(ordering: .acquiring) {
                    let ready = poll(&pfd, 1, Int32(tick * 1000))
                    if ready <= 0 {
                        sink(.tick)
                        continue
                    }
                    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if count <= 0 { continue }
                    for signal in parse(buffer, count: count) { sink(signal) }
                }
                close(fd)
            }
            thread.name = "trailwatch-inotify"
            thread.start()
        }

        func stop() { running.store(false, ordering: .releasing) }

        /// Splits a read into events (`struct inotify_event`: wd, mask, cookie, len, then a NUL-padded name).
        private func parse(_ buffer: [UInt8], count: Int) -> [TreeSignal] {
            var signals: [TreeSignal] = []
            var offset = 0
            while offset + 16 <= count {
                let (wd, mask, length) = buffer.withUnsafeBytes { raw in
                    (
                        raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                        raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                        Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    )
                }
                let nameBytes = buffer[(offset + 16)..<min(count, offset + 16 + length)]
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                offset += 16 + length
                if mask & Self.overflow != 0 {
                    signals.append(.rescan)
                    continue
                }
                if mask & (Self.deleteSelf | Self.moveSelf | Self.ignored) != 0 {
                    // A watched folder went away (or was moved): its watch is gone; a rescan sees the new shape.
                    _ = folders.withLock { $0.removeValue(forKey: wd) }
                    if mask & Self.ignored == 0 { signals.append(.rescan) }
                    continue
                }
                guard let folder = folders.withLock({ $0[wd] }), !name.isEmpty else { continue }
                signals.append(
                    .changed(
                        path: folder + "/" + name, isDirectory: mask & Self.isDir != 0,
                        isComplete: mask & (Self.closeWrite | Self.movedTo) != 0))
            }
            return signals
        }
    }
#endif
