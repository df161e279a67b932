import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What one `stat` says about a file, enough to tell whether it is still being written or was replaced.
struct FileLook: Sendable, Hashable {
    var size: Int64
    var modifiedNanos: Int64
    var inode: UInt64
    var isDirectory: Bool

    /// Nil when the path is gone or cannot be read.
    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        size = Int64(st.st_size)
        #if canImport(Glibc)
            modifiedNanos = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        #else
            modifiedNanos = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        #endif
        inode = UInt64(st.st_ino)
        isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether the file was last modified at least `seconds` ago.
    func isQuiet(for seconds: Double, now: Date = Date()) -> Bool {
        Double(modifiedNanos) / 1e9 <= now.timeIntervalSince1970 - seconds
    }
}

/// Which names the watcher reads, like `scan`'s walk plus the CloudTrail extensions: `.json`, `.json.gz`,
/// `.jsonl` (followed as it grows) and `.jsonl.gz`; hidden files and temporary names of copy tools are skipped.
enum WatchedName {
    enum Kind: Sendable { case whole, growing }

    static func kind(_ path: String) -> Kind? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasPrefix(".") { return nil }
        if name.hasSuffix(".jsonl") { return .growing }
        if name.hasSuffix(".json") || name.hasSuffix(".json.gz") || name.hasSuffix(".jsonl.gz") { return .whole }
        // `aws s3 sync` writes `<name>.<random>` then renames; rsync `.<name>.<random>`; others `.tmp`/`.part`:
        // none of them ends with a CloudTrail extension, so they never get here.
        return nil
    }

    /// Whether a folder is walked (`CloudTrail-Digest` holds digests, not events; hidden folders are skipped).
    static func walksFolder(_ name: String) -> Bool { !name.hasPrefix(".") && name != "CloudTrail-Digest" }
}

/// The offset just past the last newline of `[start, end)` in the file, nil when that range has no newline.
func lastLineEnd(path: String, start: Int64, end: Int64) -> Int64? {
    guard end > start, let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    // Read backwards in blocks: the last newline is usually near the end.
    let block: Int64 = 1 << 16
    var stop = end
    while stop > start {
        let from = max(start, stop - block)
        guard (try? handle.seek(toOffset: UInt64(from))) != nil,
            let data = try? handle.read(upToCount: Int(stop - from))
        else { return nil }
        if let index = data.lastIndex(of: 0x0A) { return from + Int64(index - data.startIndex) + 1 }
        stop = from
    }
    return nil
}
