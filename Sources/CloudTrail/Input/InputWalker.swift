#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the S3 key of a CloudTrail file says: `AWSLogs/[<org-id>/]<account>/CloudTrail/<region>/YYYY/MM/DD/
/// <account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<random>.json.gz`. Every part is optional (a partial key is a
/// folder on the way down).
public struct S3KeyInfo: Sendable, Hashable {
    /// The 12-digit account id folder.
    public var account: String?
    /// The region folder.
    public var region: String?
    /// The `YYYY` folder.
    public var year: Int?
    /// The `MM` folder.
    public var month: Int?
    /// The `DD` folder.
    public var day: Int?
    /// Delivery time from the file name, in milliseconds since the epoch.
    public var deliveryTime: Int64?

    /// Creates key information (all parts optional).
    public init(account: String? = nil, region: String? = nil, year: Int? = nil, month: Int? = nil,
                day: Int? = nil, deliveryTime: Int64? = nil) {
        self.account = account
        self.region = region
        self.year = year
        self.month = month
        self.day = day
        self.deliveryTime = deliveryTime
    }

    /// Parses the layout out of a path (file or folder); nil when the path does not follow it.
    public static func parse(_ path: String) -> S3KeyInfo? {
        // Works on UTF-8 bytes: this runs for every file and folder walked.
        let bytes = Array(path.utf8)
        var parts: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            while i < bytes.count && bytes[i] == 0x2F { i += 1 }
            let start = i
            while i < bytes.count && bytes[i] != 0x2F { i += 1 }
            if i > start { parts.append(start..<i) }
        }
        func text(_ k: Int) -> String { String(decoding: bytes[parts[k]], as: UTF8.self) }
        func equals(_ k: Int, _ word: StaticString) -> Bool {
            let range = parts[k]
            guard range.count == word.utf8CodeUnitCount else { return false }
            return word.withUTF8Buffer { w in zip(bytes[range], w).allSatisfy { $0 == $1 } }
        }
        func isDigits(_ k: Int, _ count: Int) -> Bool {
            parts[k].count == count && bytes[parts[k]].allSatisfy { $0 &- 0x30 < 10 }
        }
        func number(_ k: Int, digits: Int) -> Int? {
            guard k < parts.count, isDigits(k, digits) else { return nil }
            return bytes[parts[k]].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        guard let anchor = parts.indices.first(where: { equals($0, "CloudTrail") || equals($0, "CloudTrail-Insight") }),
              anchor >= 1, isDigits(anchor - 1, 12) else { return nil }
        var info = S3KeyInfo(account: text(anchor - 1))
        if anchor + 1 < parts.count { info.region = text(anchor + 1) }
        info.year = number(anchor + 2, digits: 4)
        if info.year != nil { info.month = number(anchor + 3, digits: 2) }
        if info.month != nil { info.day = number(anchor + 4, digits: 2) }
        if let last = parts.last, last.count > 20, anchor + 5 < parts.count {
            // <account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<random>: a 14-byte field between underscores.
            let name = Array(bytes[last])
            var fieldStart = 0
            for j in 0...name.count where j == name.count || name[j] == 0x5F {
                let field = name[fieldStart..<j]
                fieldStart = j + 1
                guard field.count == 14 else { continue }
                let f = Array(field)
                guard f[8] == 0x54, f[13] == 0x5A, f[0..<8].allSatisfy({ $0 &- 0x30 < 10 }),
                      f[9..<13].allSatisfy({ $0 &- 0x30 < 10 }) else { continue }
                func value(_ range: Range<Int>) -> Int { f[range].reduce(0) { $0 * 10 + Int($1 - 0x30) } }
                let (year, month, day) = (value(0..<4), value(4..<6), value(6..<8))
                let (hour, minute) = (value(9..<11), value(11..<13))
                guard month >= 1, month <= 12, day >= 1, day <= Timestamp.daysInMonth(year, month),
                      hour < 24, minute < 60 else { continue }
                info.deliveryTime = (Int64(Timestamp.daysFromCivil(year, month, day)) * 86_400
                    + Int64(hour * 3600 + minute * 60)) * 1000
            }
        }
        return info
    }

    static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 &- 0x30 < 10 }
    }

    /// The instants this key's date part covers: a year, a month, a day, or the delivery minute.
    var dateRange: ClosedRange<Int64>? {
        if let deliveryTime { return deliveryTime...(deliveryTime + 60_000 - 1) }
        guard let year else { return nil }
        let startMonth = month ?? 1
        let startDay = day ?? 1
        let start = Int64(Timestamp.daysFromCivil(year, startMonth, startDay)) * 86_400_000
        let endDay: Int
        if day != nil {
            endDay = Timestamp.daysFromCivil(year, startMonth, startDay) + 1
        } else if let month {
            endDay = month == 12 ? Timestamp.daysFromCivil(year + 1, 1, 1) : Timestamp.daysFromCivil(year, month + 1, 1)
        } else {
            endDay = Timestamp.daysFromCivil(year + 1, 1, 1)
        }
        return start...(Int64(endDay) * 86_400_000 - 1)
    }
}

private let gzipSuffix = Array(".gz".utf8)

extension String.UTF8View {
    fileprivate func hasSuffix(_ suffix: [UInt8]) -> Bool {
        count >= suffix.count && zip(reversed(), suffix.reversed()).allSatisfy { $0 == $1 }
    }
}

/// One unit of work for a reader: a whole input or a line-aligned chunk of a large JSON Lines file.
struct WorkItem: Sendable {
    /// Index of the input in the report.
    var inputIndex: Int
    var path: String
    var isStandardInput = false
    /// Bytes on disk; -1 when the walk did not need to ask (a gzip'd file without a progress line).
    var size = 0
    var key: S3KeyInfo?
    /// For chunks: the byte range `[chunkStart, chunkStop)` whose lines this item reads, and its order.
    var chunkStart = 0
    var chunkStop = Int.max
    var chunkIndex = 0
}

/// Expands paths, directories and globs into files, pruning by the S3 layout before anything is opened.
struct InputWalker {
    let options: InputOptions
    var inputs: [String] = []
    var items: [WorkItem] = []
    var report = InputReport()
    private var seen: Set<String> = []
    /// Called with each item as soon as it is found (the driver hands it to a worker).
    var emit: ((WorkItem) -> Void)?
    private let fromBound: Int64?
    private let toBound: Int64?
    /// Keys are only parsed when a filter can use them.
    private let usesKeys: Bool
    /// Clock skew allowed between a delivery's key time and its events.
    private let skew: Int64 = 3_600_000

    init(options: InputOptions) {
        self.options = options
        fromBound = options.from
        toBound = options.to
        usesKeys = options.from != nil || options.to != nil || !options.accounts.isEmpty || !options.regions.isEmpty
    }

    private func key(_ path: String) -> S3KeyInfo? { usesKeys ? S3KeyInfo.parse(path) : nil }

    mutating func walk() {
        for path in options.paths {
            if path == "-" {
                addInput(path, isStandardInput: true, size: 0, key: nil)
            } else if path.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) && !exists(path) {
                let before = inputs.count
                expandGlob(path)
                if inputs.count == before && !globMatchedPruned {
                    notFound(path, "no file matches the pattern")
                }
                globMatchedPruned = false
            } else {
                var st = stat()
                guard stat(path, &st) == 0 else {
                    notFound(path, "cannot access the path: \(systemError(errno))")
                    continue
                }
                if isDirectory(st) {
                    walkDirectory(path, explicit: true)
                } else {
                    // A file named explicitly is always read (no pruning, whatever its name).
                    addInput(path, isStandardInput: false, size: Int(st.st_size), key: key(path))
                }
            }
        }
    }

    private var globMatchedPruned = false

    private mutating func notFound(_ path: String, _ message: String) {
        let issue = InputIssue(code: .notFound, message: message, path: path)
        report.pathErrors.append(issue)
        var entry = InputFileReport(path: path)
        entry.error = issue
        report.inputs.append(entry)
    }

    private mutating func addInput(_ path: String, isStandardInput: Bool, size: Int, key: S3KeyInfo?) {
        // With a single path nothing can be reached twice: skip hashing every path.
        if options.paths.count > 1 {
            guard seen.insert(path).inserted else { return }
        }
        inputs.append(path)
        let item = WorkItem(inputIndex: inputs.count - 1, path: path, isStandardInput: isStandardInput,
                            size: size, key: key)
        items.append(item)
        emit?(item)
    }

    // MARK: Directories

    private mutating func walkDirectory(_ path: String, explicit: Bool) {
        if !explicit, let key = key(path), isPruned(key) {
            report.prunedDirectories += 1
            return
        }
        guard let dir = opendir(path) else {
            let issue = InputIssue(code: .unreadable, message: "cannot list the folder: \(systemError(errno))",
                                   path: path)
            report.pathErrors.append(issue)
            var entry = InputFileReport(path: path)
            entry.error = issue
            report.inputs.append(entry)
            return
        }
        var names: [(name: String, full: String, isDir: Bool)] = []
        let prefix = path.hasSuffix("/") ? path : path + "/"
        while let entry = readdir(dir) {
            guard let (name, type) = entryNameAndType(entry) else { continue }
            if name == "." || name == ".." { continue }
            if options.skipHidden && name.hasPrefix(".") { continue }
            let full = prefix + name
            switch kind(type, full) {
            case .directory: names.append((name, full, true))
            case .file: names.append((name, full, false))
            case .other: continue
            }
        }
        closedir(dir)
        names.sort { $0.name < $1.name }
        for (name, full, isDir) in names {
            if isDir {
                if name == "CloudTrail-Digest" {
                    report.skippedDigestFolders += 1
                    continue
                }
                walkDirectory(full, explicit: false)
            } else {
                addFileFromWalk(full)
            }
        }
    }

    private mutating func addFileFromWalk(_ full: String) {
        let key = key(full)
        if let key, isPruned(key) {
            report.prunedFiles += 1
            globMatchedPruned = true
            return
        }
        // The size only serves the progress line and the splitting of large plain JSON Lines files: a gzip'd
        // delivery file (never split) is not stat'ed when there is no progress to show — one system call less
        // per file on trees of thousands of small files. The reader learns the size from its own fstat.
        var size = -1
        if options.progress != nil || !full.utf8.hasSuffix(gzipSuffix) {
            var st = stat()
            size = stat(full, &st) == 0 ? Int(st.st_size) : 0
        }
        addInput(full, isStandardInput: false, size: size, key: key)
    }

    /// Whether a key's account, region or dates exclude all its events from the filters.
    func isPruned(_ key: S3KeyInfo) -> Bool {
        if !options.accounts.isEmpty, let account = key.account, !options.accounts.contains(account) { return true }
        if !options.regions.isEmpty, let region = key.region, !options.regions.contains(region) { return true }
        guard fromBound != nil || toBound != nil, let range = key.dateRange else { return false }
        // Events are delivered after they happen (up to the delivery lag) and never before (up to clock skew).
        if let fromBound, range.upperBound + skew < fromBound { return true }
        if let toBound, range.lowerBound - options.deliveryLagMilliseconds > toBound { return true }
        return false
    }

    // MARK: Globs

    private mutating func expandGlob(_ pattern: String) {
        let isAbsolute = pattern.hasPrefix("/")
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let firstGlob = segments.firstIndex(where: { $0.contains(where: { "*?[".contains($0) }) }) else {
            return
        }
        var base = segments[..<firstGlob].joined(separator: "/")
        if isAbsolute { base = "/" + base }
        if base.isEmpty { base = "." }
        matchSegments(base, Array(segments[firstGlob...]), 0, displayPrefix: firstGlob == 0 && !isAbsolute)
    }

    private mutating func matchSegments(_ dir: String, _ segments: [String], _ index: Int, displayPrefix: Bool) {
        func join(_ name: String) -> String {
            if dir == "." && displayPrefix { return name }
            return dir.hasSuffix("/") ? dir + name : dir + "/" + name
        }
        let segment = segments[index]
        let isLast = index == segments.count - 1
        if segment == "**" {
            // Zero folders...
            if isLast {
                walkDirectory(dir, explicit: false)
                return
            }
            matchSegments(dir, segments, index + 1, displayPrefix: displayPrefix)
            // ...or one more, keeping the `**`.
            for (name, isDir) in list(dir) where isDir && name != "CloudTrail-Digest" {
                let full = join(name)
                if let key = key(full), isPruned(key) {
                    report.prunedDirectories += 1
                    globMatchedPruned = true
                    continue
                }
                matchSegments(full, segments, index, displayPrefix: false)
            }
            return
        }
        for (name, isDir) in list(dir) where fnmatch(segment, name, FNM_PERIOD) == 0 {
            let full = join(name)
            if isLast {
                if isDir { walkDirectory(full, explicit: false) } else { addFileFromWalk(full) }
            } else if isDir {
                matchSegments(full, segments, index + 1, displayPrefix: false)
            }
        }
    }

    private func list(_ dir: String) -> [(String, Bool)] {
        guard let handle = opendir(dir) else { return [] }
        var names: [(String, Bool)] = []
        while let entry = readdir(handle) {
            guard let (name, type) = entryNameAndType(entry) else { continue }
            if name == "." || name == ".." { continue }
            if options.skipHidden && name.hasPrefix(".") { continue }
            let full = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            switch kind(type, full) {
            case .directory: names.append((name, true))
            case .file: names.append((name, false))
            case .other: continue
            }
        }
        closedir(handle)
        return names.sorted { $0.0 < $1.0 }
    }

    private func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }
}

func isDirectory(_ st: stat) -> Bool { (st.st_mode & S_IFMT) == S_IFDIR }

private enum EntryKind { case directory, file, other }

/// The name and `d_type` of a directory entry, read in place: a `dirent` may be shorter than
/// `MemoryLayout<dirent>.size` (its name is only as long as it needs), so the struct is never copied whole.
private func entryNameAndType(_ entry: UnsafeMutablePointer<dirent>) -> (String, UInt8)? {
    guard let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name),
          let typeOffset = MemoryLayout<dirent>.offset(of: \dirent.d_type) else { return nil }
    let raw = UnsafeRawPointer(entry)
    let name = String(cString: raw.advanced(by: nameOffset).assumingMemoryBound(to: CChar.self))
    return (name, raw.load(fromByteOffset: typeOffset, as: UInt8.self))
}

/// The kind of a directory entry from `d_type`, with `stat` only when the file system does not say (or for
/// symbolic links, which are followed).
private func kind(_ type: UInt8, _ path: String) -> EntryKind {
    switch Int32(type) {
    case Int32(DT_DIR): return .directory
    case Int32(DT_REG): return .file
    case Int32(DT_UNKNOWN), Int32(DT_LNK):
        var st = stat()
        guard stat(path, &st) == 0 else { return .other }
        if isDirectory(st) { return .directory }
        return (st.st_mode & S_IFMT) == S_IFREG ? .file : .other
    default: return .other
    }
}

/// The files a directory walk of `scan` would read under `root` (hidden entries and `CloudTrail-Digest` folders
/// skipped, symbolic links followed), in path order, with their sizes (-1 for gzip'd files, which the walk does
/// not stat), and the folders that could not be listed. Used by `trailwatch watch` to find what is already there with the same rules as `scan`.
public func walkInputFiles(under root: String) -> (files: [(path: String, size: Int)], problems: [InputIssue]) {
    var walker = InputWalker(options: InputOptions(paths: [root]))
    walker.walk()
    return (walker.items.map { ($0.path, $0.size) }, walker.report.pathErrors)
}
