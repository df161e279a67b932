#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import Synchronization

/// Reads every record of the inputs in parallel and calls `visit` for each accepted one.
///
/// - Inputs are walked first (directories recursively, globs expanded, S3 folders and files outside the
///   account / region / date filters pruned before opening). `options.workers` threads then take inputs one
///   at a time; each owns a reader (buffer, scanner, zlib state) and a `State` from `makeState`. A plain JSON
///   Lines file of at least ``InputOptions/splitThresholdBytes`` is split at line boundaries between workers.
/// - Each record is counted in ``InputCounts/records``, then checked against `from`/`to` (on `eventTime`),
///   the account and region filters (from the S3 layout when the file is in it, else from the record), then
///   deduplicated: with ``InputOptions/deduplicate``, a record whose `eventID` was already read **from another
///   input** is dropped and counted in ``InputCounts/duplicates`` (CloudTrail redelivers whole files; an id
///   repeated inside one input, as test fixtures do with fake ids, is kept). Which copy wins between two inputs
///   read at the same time is not specified. Records without an `eventID` are never duplicates.
/// - Every record that passes is visited exactly once: `visit` runs on the worker's thread with that worker's
///   state; the event is only valid during the call.
/// - The returned report accounts for every input: `records = accepted + skipped… + duplicates`, and
///   documents that could not be read are in `rejected` with their reasons and positions. An input that cannot
///   be read (or not to its end) has an ``InputFileReport/error``; the others are read all the same.
///
/// - Returns: one state per worker (merge them), and the report.
/// - Throws: ``InputIssue`` only when the options themselves are unusable (no path, `from` after `to`).
public func readRecords<State: Sendable>(
    options: InputOptions,
    makeState: @escaping @Sendable () -> State,
    visit: @escaping @Sendable (inout State, borrowing CloudTrailEvent) -> Void
) async throws -> (states: [State], report: InputReport) {
    guard !options.paths.isEmpty else {
        throw InputIssue(code: .notFound, message: "no input path given", path: "")
    }
    if let from = options.from, let to = options.to, from > to {
        throw InputIssue(code: .notFound, message: "the time range is empty: 'from' (\(Timestamp.format(from))) "
                            + "is after 'to' (\(Timestamp.format(to)))", path: "")
    }
    return await withCheckedContinuation { continuation in
        // Blocking file I/O runs on threads of its own, never on the cooperative pool.
        let thread = Thread {
            let result = InputDriver(options: options).run(makeState: makeState, visit: visit)
            continuation.resume(returning: result)
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// The result of one work item.
private struct ItemResult: Sendable {
    var item: WorkItem
    var counts: InputCounts
    var tally: InputTally
}

extension InputTally: @unchecked Sendable {}

final class InputDriver: Sendable {
    let options: InputOptions
    let registry = EventIDRegistry()

    init(options: InputOptions) {
        self.options = options
    }

    func run<State: Sendable>(
        makeState: @escaping @Sendable () -> State,
        visit: @escaping @Sendable (inout State, borrowing CloudTrailEvent) -> Void
    ) -> (states: [State], report: InputReport) {
        // Workers start at once and take items as the walk finds them: on a tree of thousands of small files the
        // walk (listing, stat) would otherwise run alone before any file is read.
        let queue = WorkQueue()
        let results = Mutex<[ItemResult]>([])
        let states = Mutex<[State]>([])
        let workerCount = max(1, options.workers)
        // Deduplication compares inputs with each other: with one regular file (or stdin) there is nothing to do.
        let inputCount = isSingleInput ? 1 : 2

        let work: @Sendable () -> Void = { [self] in
            let reader = RecordReader(limits: JSONLimits(maxDepth: options.maxDepth,
                                                         maxDocumentBytes: options.maxDocumentBytes),
                                      maxIssues: options.maxIssuesPerInput)
            var state = makeState()
            while let item = queue.next() {
                let result = process(item, reader, &state, inputCount: inputCount, visit)
                results.withLock { $0.append(result) }
                options.progress?.finished(bytes: max(0, item.size))
                reader.trim()
            }
            states.withLock { [state] in $0.append(state) }
        }

        let done = DispatchSemaphore(value: 0)
        for _ in 0..<workerCount {
            let thread = Thread {
                work()
                done.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        var walker = InputWalker(options: options)
        walker.emit = { [self] item in
            let planned = planChunks([item])
            options.progress?.planned(files: planned.count, bytes: planned.reduce(0) { $0 + max(0, $1.size) })
            queue.append(planned)
        }
        walker.walk()
        queue.finish()
        for _ in 0..<workerCount { done.wait() }

        var report = walker.report
        report.inputs.append(contentsOf: merge(results.withLock { $0 }, paths: walker.inputs))
        report.inputs.sort { $0.path < $1.path }
        for input in report.inputs { report.totals += input.counts }
        var finalStates = states.withLock { $0 }
        if finalStates.isEmpty { finalStates.append(makeState()) }
        return (finalStates, report)
    }

    /// One regular file or stdin named alone: no other input can repeat its eventIDs.
    private var isSingleInput: Bool {
        guard options.paths.count == 1, let path = options.paths.first else { return false }
        if path == "-" { return true }
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    // MARK: One item

    private func process<State>(_ item: WorkItem, _ reader: RecordReader, _ state: inout State, inputCount: Int,
                                _ visit: @Sendable (inout State, borrowing CloudTrailEvent) -> Void) -> ItemResult {
        var counts = InputCounts()
        let fd: Int32
        if item.isStandardInput {
            fd = 0
        } else {
            fd = open(item.path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                var tally = InputTally()
                tally.fatal = InputIssue(code: .unreadable, message: "cannot open: \(systemError(errno))",
                                         path: item.path)
                return ItemResult(item: item, counts: counts, tally: tally)
            }
        }
        defer { if fd != 0 { close(fd) } }
        var st = stat()
        let seekable = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
        if !item.isStandardInput && !seekable {
            var tally = InputTally()
            tally.fatal = InputIssue(code: .unreadable, message: "not a regular file", path: item.path)
            return ItemResult(item: item, counts: counts, tally: tally)
        }

        // With a single input there is no other input to repeat an eventID: skip the registry altogether.
        let filter = RecordFilter(options: options, key: item.key, registry: registry, input: item.inputIndex,
                                  deduplicate: options.deduplicate && inputCount > 1)
        withoutActuallyEscaping(visit) { visit in
            withUnsafeMutablePointer(to: &state) { statePointer in
                withUnsafeMutablePointer(to: &counts) { countsPointer in
                    reader.readDescriptor(
                        fd: fd, seekable: seekable, size: seekable ? Int(st.st_size) : nil, path: item.path,
                        startOffset: item.chunkStart,
                        stopOffset: item.chunkStop, maxInflateRatio: options.maxInflateRatio,
                        inflateGraceBytes: options.inflateGraceBytes
                    ) { event in
                        if filter.admit(event, &countsPointer.pointee) {
                            visit(&statePointer.pointee, event)
                        }
                    }
                }
            }
        }
        counts.rejected = reader.tally.rejected
        return ItemResult(item: item, counts: counts, tally: reader.tally)
    }

    // MARK: Splitting large JSON Lines files

    private func planChunks(_ items: [WorkItem]) -> [WorkItem] {
        guard options.workers > 1 else { return items }
        var planned: [WorkItem] = []
        for item in items {
            guard !item.isStandardInput, item.size >= options.splitThresholdBytes, isJSONLines(item.path) else {
                planned.append(item)
                continue
            }
            // Enough chunks to balance, none smaller than a few MiB.
            let count = max(2, min(options.workers * 4, item.size / (4 << 20)))
            for k in 0..<count {
                var chunk = item
                chunk.chunkIndex = k
                chunk.chunkStart = item.size / count * k
                chunk.chunkStop = k == count - 1 ? Int.max : item.size / count * (k + 1)
                chunk.size = item.size / count
                planned.append(chunk)
            }
        }
        return planned
    }

    /// Plain (not gzip) text whose first line is one complete JSON object and whose second line starts one.
    private func isJSONLines(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let size = 1 << 20
        let head = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { head.deallocate() }
        let n = pread(fd, head, size, 0)
        guard n > 2, head[0] != 0x1F || head[1] != 0x8B else { return false }
        var p = 0
        while p < n, head[p] == 0x20 || head[p] == 0x09 || head[p] == 0x0D { p += 1 }
        guard p < n, head[p] == 0x7B else { return false }
        var newline = p
        while newline < n, head[newline] != 0x0A { newline += 1 }
        guard newline < n else { return false }
        let scanner = JSONScanner(limits: JSONLimits(maxDepth: options.maxDepth, maxDocumentBytes: size))
        guard case .complete(let end) = scanner.scanValue(head, from: p, to: newline, isFinal: true) else {
            return false
        }
        var q = end
        while q < newline, head[q] == 0x20 || head[q] == 0x09 || head[q] == 0x0D { q += 1 }
        guard q == newline else { return false }
        q = newline + 1
        while q < n, head[q] == 0x20 || head[q] == 0x09 || head[q] == 0x0D || head[q] == 0x0A { q += 1 }
        return q < n && head[q] == 0x7B
    }

    // MARK: Merging

    private func merge(_ results: [ItemResult], paths: [String]) -> [InputFileReport] {
        var byInput: [Int: [ItemResult]] = [:]
        for result in results { byInput[result.item.inputIndex, default: []].append(result) }
        var reports: [InputFileReport] = []
        for (index, path) in paths.enumerated() {
            var report = InputFileReport(path: path)
            let parts = (byInput[index] ?? []).sorted { $0.item.chunkIndex < $1.item.chunkIndex }
            var lineOffset = 0
            for part in parts {
                report.counts += part.counts
                report.isGzip = report.isGzip || part.tally.sawGzip
                for var issue in part.tally.issues where report.issues.count < options.maxIssuesPerInput {
                    if let line = issue.line { issue.line = line + lineOffset }
                    report.issues.append(issue)
                }
                report.issueCount += part.tally.issueCount
                if report.error == nil, var fatal = part.tally.fatal {
                    if part.item.chunkIndex > 0 && fatal.code == .empty {
                        // An empty chunk of a split file is not an empty input.
                    } else {
                        if let line = fatal.line { fatal.line = line + lineOffset }
                        report.error = fatal
                    }
                }
                lineOffset += part.tally.newlines
            }
            report.format = parts.count > 1 ? .jsonLines : parts.first?.tally.format ?? .unknown
            reports.append(report)
        }
        return reports
    }
}

/// The per-record filters of one input: time, account, region, duplicates.
struct RecordFilter {
    let from: Int64
    let to: Int64
    let hasTimeFilter: Bool
    let accounts: [[UInt8]]
    let regions: [[UInt8]]
    /// Unmanaged: the driver keeps the registry alive for the whole read, and a retain and release per record
    /// showed in profiles.
    let registry: Unmanaged<EventIDRegistry>?
    let input: Int

    static let eventTimeKey = Array("eventTime".utf8)
    static let eventIDKey = Array("eventID".utf8)
    static let recipientAccountKey = Array("recipientAccountId".utf8)
    static let userIdentityKey = Array("userIdentity".utf8)
    static let accountIDKey = Array("accountId".utf8)
    static let regionKey = Array("awsRegion".utf8)

    init(options: InputOptions, key: S3KeyInfo?, registry: EventIDRegistry, input: Int, deduplicate: Bool) {
        from = options.from ?? .min
        to = options.to ?? .max
        hasTimeFilter = options.from != nil || options.to != nil
        // The S3 layout already settled these (and pruned the file otherwise).
        accounts = key?.account != nil ? [] : options.accounts.sorted().map { Array($0.utf8) }
        regions = key?.region != nil ? [] : options.regions.sorted().map { Array($0.utf8) }
        self.registry = deduplicate ? Unmanaged.passUnretained(registry) : nil
        self.input = input
    }

    /// Counts the record and says whether it is to be visited.
    func admit(_ event: borrowing CloudTrailEvent, _ counts: inout InputCounts) -> Bool {
        counts.records += 1
        let tape = event.tape
        let base = event.base
        let root = event.root
        if hasTimeFilter {
            let index = Self.eventTimeKey.withUnsafeBufferPointer { memberIndex(tape, base, root, $0) }
            let time = index >= 0 && tape[index].kind == .string
                ? withValueText(base, tape, index) { Timestamp.milliseconds($0) } : nil
            guard let time, time >= from, time <= to else {
                counts.skippedTime += 1
                return false
            }
        }
        if !accounts.isEmpty {
            var index = Self.recipientAccountKey.withUnsafeBufferPointer { memberIndex(tape, base, root, $0) }
            if index < 0 {
                let identity = Self.userIdentityKey.withUnsafeBufferPointer { memberIndex(tape, base, root, $0) }
                if identity >= 0 {
                    index = Self.accountIDKey.withUnsafeBufferPointer { memberIndex(tape, base, identity, $0) }
                }
            }
            guard index >= 0, matches(tape, base, index, accounts) else {
                counts.skippedAccount += 1
                return false
            }
        }
        if !regions.isEmpty {
            let index = Self.regionKey.withUnsafeBufferPointer { memberIndex(tape, base, root, $0) }
            guard index >= 0, matches(tape, base, index, regions) else {
                counts.skippedRegion += 1
                return false
            }
        }
        if let registry {
            let index = Self.eventIDKey.withUnsafeBufferPointer { memberIndex(tape, base, root, $0) }
            if index >= 0 && tape[index].kind == .string {
                let digest = withValueText(base, tape, index) { eventIDDigest($0) }
                let admitted = registry._withUnsafeGuaranteedRef { $0.admit(digest, input: input) }
                if !admitted {
                    counts.duplicates += 1
                    return false
                }
            }
        }
        counts.accepted += 1
        return true
    }

    private func matches(_ tape: UnsafePointer<TapeEntry>, _ base: UnsafePointer<UInt8>, _ index: Int,
                         _ allowed: [[UInt8]]) -> Bool {
        guard tape[index].kind == .string else { return false }
        return withValueText(base, tape, index) { text in
            allowed.contains { candidate in candidate.withUnsafeBufferPointer { ASCII.equals(text, $0) } }
        }
    }
}

/// Work items shared by the walk (producer) and the workers (consumers), in the order the walk finds them.
final class WorkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [WorkItem] = []
    private var head = 0
    private var finished = false

    func append(_ more: [WorkItem]) {
        guard !more.isEmpty else { return }
        condition.lock()
        items.append(contentsOf: more)
        condition.broadcast()
        condition.unlock()
    }

    /// No more items will come: waiting workers drain the queue and stop.
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next item, waiting for the walk when the queue is empty; nil once the walk is finished and all is taken.
    func next() -> WorkItem? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !finished { condition.wait() }
        guard head < items.count else { return nil }
        head += 1
        return items[head - 1]
    }
}
