#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the S3 key of a CloudTrail file says: `AWSLogs/[<org-id>/]<account>/CloudTrail/<region>/YYYY/MM/DD/
/// <account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<random>.json.gz`. Every part is optional (a partial key is a
/// folder on the way down).
public struct S3KeyInfo: Sendable, Hashable {
    public var account: String?
    public var region: String?
    public var year: Int?
    public var month: Int?
    public var day: Int?
    /// Delivery time from the file name, in milliseconds since the epoch.
    public var deliveryTime: Int64?

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
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let i = parts.firstIndex(where: { $0 == "CloudTrail" || $0 == "CloudTrail-Insight" }), i >= 1,
              isAccountID(parts[i - 1]) else { return nil }
        var info = S3KeyInfo(account: parts[i - 1])
        if i + 1 < parts.count { info.region = parts[i + 1] }
        func number(_ k: Int, digits: Int) -> Int? {
            guard k < parts.count, parts[k].utf8.count == digits, parts[k].utf8.allSatisfy({ $0 &- 0x30 < 10 }) else {
                return nil
            }
            return Int(parts[k])
        }
        info.year = number(i + 2, digits: 4)
        if info.year != nil { info.month = number(i + 3, digits: 2) }
        if info.month != nil { info.day = number(i + 4, digits: 2) }
        if let name = parts.last, name.contains("_CloudTrail") {
            // <account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<random>
            for field in name.split(separator: "_") where field.utf8.count == 14 && field.hasSuffix("Z") {
                let t = Array(field.utf8)
                guard t[8] == 0x54, t[0..<8].allSatisfy({ $0 &- 0x30 < 10 }),
                      t[9..<13].allSatisfy({ $0 &- 0x30 < 10 }) else { continue }
                let s = String(field)
                let iso = "\(s.prefix(4))-\(s.dropFirst(4).prefix(2))-\(s.dropFirst(6).prefix(2))T"
                    + "\(s.dropFirst(9).prefix(2)):\(s.dropFirst(11).prefix(2)):00Z"
                info.deliveryTime = Timestamp.milliseconds(iso)
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

/// One unit of work for a reader: a whole input or a line-aligned chunk of a large JSON Lines file.
struct WorkItem: Sendable {
    /// Index of the input in the report.
    var inputIndex: Int
    var path: String
    var isStandardInput = false
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
    private let fromBound: Int64?
    private let toBound: Int64?
    /// Clock skew allowed between a delivery's key time and its events.
    private let skew: Int64 = 3_600_000
    /// Whether any filter reads the S3 key (account, region, dates); without one, keys are not parsed at all,
    /// which matters on trees of tens of thousands of files.
    private let usesKeys: Bool

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
        guard seen.insert(path).inserted else { return }
        inputs.append(path)
        items.append(WorkItem(inputIndex: inputs.count - 1, path: path, isStandardInput: isStandardInput,
                              size: size, key: key))
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
        var names: [(String, Bool)] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            if options.skipHidden && name.hasPrefix(".") { continue }
            // The entry type from readdir spares a stat per entry; only unknown types (some file systems) and
            // symbolic links (followed) need one.
            let type = entry.pointee.d_type
            if type == UInt8(DT_DIR) {
                names.append((name, true))
                continue
            }
            if type == UInt8(DT_REG) {
                names.append((name, false))
                continue
            }
            let full = path.hasSuffix("/") ? path + name : path + "/" + name
            var st = stat()
            guard stat(full, &st) == 0 else { continue }
            if isDirectory(st) {
                names.append((name, true))
            } else if (st.st_mode & S_IFMT) == S_IFREG {
                names.append((name, false))
            }
        }
        closedir(dir)
        names.sort { $0.0 < $1.0 }
        for (name, isDir) in names {
            let full = path.hasSuffix("/") ? path + name : path + "/" + name
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
        var st = stat()
        let size = stat(full, &st) == 0 ? Int(st.st_size) : 0
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
                if let key = S3KeyInfo.parse(full), isPruned(key) {
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
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            if options.skipHidden && name.hasPrefix(".") { continue }
            var st = stat()
            let full = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            guard stat(full, &st) == 0 else { continue }
            names.append((name, isDirectory(st)))
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
