import CloudTrail
import Foundation
import Logging

/// A directory tree of CloudTrail files (the S3 layout kept in sync by `aws s3 sync`, a mounted bucket, a
/// delivery pipeline): every delivery file once, and the new complete lines of growing JSON Lines files.
///
/// Finds what is there with the walk of `scan`, then follows changes with inotify (plus a safety rescan, since
/// the kernel's queue can overflow) or, where inotify is missing or `forcePolling` is set, by walking the tree
/// every `pollInterval`. A whole file is taken once its writer closed it or renamed it into place (inotify), or
/// once its size and modification time were the same across two looks (polling, rescans).
public final class DirectorySource: WatchSource {
    /// How the source behaves.
    public struct Options: Sendable {
        /// Take what is there now and finish (`--once`).
        public var once = false
        /// Walk the tree every `pollInterval` even where inotify works (`--poll`).
        public var forcePolling = false
        /// Seconds between walks in polling mode (`--poll-interval`).
        public var pollInterval = 1.0
        /// Seconds between safety walks in inotify mode.
        public var rescanInterval = 60.0
        /// A growing file is read in ranges of at most this many bytes (cut at a newline).
        public var maxRangeBytes: Int64 = 32 << 20
        public init() {}
    }

    /// The watched folder, without a trailing slash.
    public let root: String
    public let options: Options
    let checkpoint: Checkpoint
    let logger: Logger

    /// - Parameter checkpoint: where the offsets of growing files are read (the watcher commits them).
    public init(root: String, checkpoint: Checkpoint, options: Options = Options(), logger: Logger) {
        var root = (root as NSString).standardizingPath
        if root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
        self.options = options
        self.checkpoint = checkpoint
        self.logger = logger
    }

    /// Whether the source will use inotify.
    public var usesInotify: Bool {
        #if canImport(Glibc)
            return !options.forcePolling && !options.once
        #else
            return false
        #endif
    }

    public var description: String {
        "directory \(root) ("
            + (options.once ? "once" : usesInotify ? "inotify" : "polling every \(options.pollInterval) s") + ")"
    }

    public func items(isDone: @escaping @Sendable (String) async -> Bool) -> AsyncThrowingStream<WatchItem, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var tree = TreeFollower(source: self, isDone: isDone, emit: { continuation.yield($0) })
                do {
                    try await tree.run()
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Nothing to forget: the checkpoint holds what was done.
    public func acknowledge(_ item: WatchItem) async throws {}

    /// `file:<relative path>` for a whole file.
    static func fileKey(_ relative: String) -> String { "file:" + relative }

    /// The prefix of every range key of a growing file.
    static func rangeKeyPrefix(_ relative: String) -> String { "range:" + relative + "@" }
}

/// The source's running state: what was handed out, what is settling, how far growing files were read.
struct TreeFollower {
    let source: DirectorySource
    let isDone: @Sendable (String) async -> Bool
    let emit: @Sendable (WatchItem) -> Void
    /// Whole files handed out or found done (relative paths).
    var taken: Set<String> = []
    /// Whole files seen but perhaps still being written, with the last look.
    var settling: [String: FileLook] = [:]
    /// Growing files: the next offset to read and the inode it belongs to.
    var growing: [String: GrowingOffset] = [:]
    var lastWalk = Date()

    init(
        source: DirectorySource, isDone: @escaping @Sendable (String) async -> Bool,
        emit: @escaping @Sendable (WatchItem) -> Void
    ) {
        self.source = source
        self.isDone = isDone
        self.emit = emit
    }

    var root: String { source.root }
    var logger: Logger { source.logger }

    mutating func run() async throws {
        guard let look = FileLook(path: root), look.isDirectory else {
            throw WatchError("cannot watch \(root): not a folder (or it cannot be read)")
        }
        #if canImport(Glibc)
            if source.usesInotify, let inotify = InotifyWatcher() {
                try await follow(inotify)
                return
            }
            if source.usesInotify { logger.warning("inotify is not available: polling instead") }
        #endif
        try await walk(trustComplete: source.options.once)
        if source.options.once { return }
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(source.options.pollInterval))
            try await walk(trustComplete: false)
        }
    }

    #if canImport(Glibc)
        mutating func follow(_ inotify: InotifyWatcher) async throws {
            let (signals, input) = AsyncStream<TreeSignal>.makeStream()
            // Watches first, then the walk: a file written in between is seen by both, never by neither.
            watchFolders(under: root, inotify)
            inotify.start(tick: 0.25) { input.yield($0) }
            defer { inotify.stop() }
            try await walk(trustComplete: false)
            for await signal in signals {
                if Task.isCancelled { break }
                switch signal {
                case .changed(let path, let isDirectory, let isComplete):
                    if isDirectory {
                        watchFolders(under: path, inotify)
                        for file in walkInputFiles(under: path).files {
                            try await consider(file.path, trustComplete: false)
                        }
                    } else {
                        try await consider(path, trustComplete: isComplete)
                    }
                case .rescan:
                    logger.notice("inotify asked for a rescan (queue overflow or a folder moved)")
                    watchFolders(under: root, inotify)
                    try await walk(trustComplete: false)
                case .tick:
                    if Date().timeIntervalSince(lastWalk) >= source.options.rescanInterval {
                        watchFolders(under: root, inotify)
                        try await walk(trustComplete: false)
                    } else {
                        for path in settling.keys.sorted() {
                            try await consider(root + "/" + path, trustComplete: false)
                        }
                    }
                }
            }
        }

        /// Watches `folder` and every folder under it that the walk would enter.
        func watchFolders(under folder: String, _ inotify: InotifyWatcher) {
            if !inotify.watch(folder: folder) {
                logger.warning("cannot watch folder", metadata: ["folder": "\(folder)", "error": "\(errnoText())"])
            }
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
            for name in names.sorted() where WatchedName.walksFolder(name) {
                let path = folder + "/" + name
                if FileLook(path: path)?.isDirectory == true { watchFolders(under: path, inotify) }
            }
        }
    #endif

    /// Looks at every file of the tree.
    mutating func walk(trustComplete: Bool) async throws {
        lastWalk = Date()
        // The one failure for good: the watched folder itself is gone (unmounted, removed).
        guard FileLook(path: root)?.isDirectory == true else {
            throw WatchError("the watched folder \(root) is gone (removed, moved or unmounted)")
        }
        let (files, problems) = walkInputFiles(under: root)
        for problem in problems { logger.warning("cannot walk", metadata: ["problem": "\(problem)"]) }
        // Oldest delivery first (the time in a CloudTrail file name), so that correlations see events in about
        // the order they happened whatever the folder layout; other names after, by path.
        let ordered = files.map { ($0.path, S3KeyInfo.parse($0.path)?.deliveryTime ?? .max) }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        for (path, _) in ordered { try await consider(path, trustComplete: trustComplete) }
    }

    /// Hands out what is new in one file: the whole file once it is complete, or the new lines of a growing one.
    mutating func consider(_ path: String, trustComplete: Bool) async throws {
        try Task.checkCancellation()
        guard path.hasPrefix(root + "/") else { return }
        let relative = String(path.dropFirst(root.count + 1))
        guard let kind = WatchedName.kind(relative) else { return }
        guard let look = FileLook(path: path), !look.isDirectory else {
            settling[relative] = nil
            return
        }
        switch kind {
        case .whole: await considerWhole(path, relative, look, trustComplete: trustComplete)
        case .growing: try await considerGrowing(path, relative, look)
        }
    }

    mutating func considerWhole(_ path: String, _ relative: String, _ look: FileLook, trustComplete: Bool) async {
        if taken.contains(relative) { return }
        let key = DirectorySource.fileKey(relative)
        if await isDone(key) {
            taken.insert(relative)
            settling[relative] = nil
            return
        }
        // Complete: the writer closed or renamed it, or nothing changed since the last look, or it has been quiet
        // for a while (a file already there when the watcher starts).
        let stable = trustComplete || settling[relative] == look || look.isQuiet(for: 2)
        guard stable else {
            settling[relative] = look
            return
        }
        settling[relative] = nil
        taken.insert(relative)
        emit(WatchItem(key: key, name: path, content: .file(path: path), discoveredAtMillis: nowMillis()))
    }

    mutating func considerGrowing(_ path: String, _ relative: String, _ look: FileLook) async throws {
        var state: GrowingOffset
        if let known = growing[relative] {
            state = known
        } else {
            state =
                try await source.checkpoint.growingOffset(relative)
                ?? GrowingOffset(path: relative, offset: 0, inode: look.inode)
        }
        if look.inode != state.inode || look.size < state.offset {
            logger.notice(
                "growing file replaced or truncated: reading it again from the start",
                metadata: ["file": "\(path)", "offset": "\(state.offset)", "size": "\(look.size)"])
            try await source.checkpoint.restartGrowing(
                relative, inode: look.inode, rangeKeyPrefix: DirectorySource.rangeKeyPrefix(relative))
            state = GrowingOffset(path: relative, offset: 0, inode: look.inode)
        }
        while look.size > state.offset {
            let limit = min(look.size, state.offset + source.options.maxRangeBytes)
            guard
                let end = lastLineEnd(path: path, start: state.offset, end: limit)
                    ?? (limit < look.size ? lastLineEnd(path: path, start: state.offset, end: look.size) : nil)
            else { break }
            let key = DirectorySource.rangeKeyPrefix(relative) + "\(state.offset)-\(end)"
            let next = GrowingOffset(path: relative, offset: end, inode: look.inode)
            emit(
                WatchItem(
                    key: key, name: path, content: .fileRange(path: path, start: state.offset, end: end),
                    discoveredAtMillis: nowMillis(), growing: next))
            state = next
        }
        growing[relative] = state
    }
}

func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

func errnoText() -> String { String(cString: strerror(errno)) }

extension DirectorySource {
    /// A whole file or a range of a growing file from its checkpoint key, if the file is still there.
    public func replayItem(key: String, name: String) -> WatchItem? {
        let now = nowMillis()
        if key.hasPrefix("file:") {
            let path = root + "/" + key.dropFirst(5)
            guard FileLook(path: path) != nil else { return nil }
            return WatchItem(key: key, name: path, content: .file(path: path), discoveredAtMillis: now)
        }
        guard key.hasPrefix("range:"), let at = key.lastIndex(of: "@") else { return nil }
        let bounds = key[key.index(after: at)...].split(separator: "-").compactMap { Int64($0) }
        guard bounds.count == 2 else { return nil }
        let path = root + "/" + key[key.index(key.startIndex, offsetBy: 6)..<at]
        guard let look = FileLook(path: path), look.size >= bounds[1] else { return nil }
        return WatchItem(
            key: key, name: path, content: .fileRange(path: path, start: bounds[0], end: bounds[1]),
            discoveredAtMillis: now)
    }
}
