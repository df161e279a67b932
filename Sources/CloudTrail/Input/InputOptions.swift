import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What to read and how: paths, filters, limits and parallelism for ``readRecords(options:makeState:visit:)``.
public struct InputOptions: Sendable {
    /// Counters the driver updates as it goes, for a progress display (nil: none).
    public var progress: InputProgress?

    /// Files, directories (read recursively), glob patterns (`*`, `?`, `**`, `[abc]`) and `-` for standard input.
    public var paths: [String]
    /// Keep only records whose `eventTime` is at or after this instant (milliseconds since the epoch).
    public var from: Int64?
    /// Keep only records whose `eventTime` is at or before this instant (milliseconds since the epoch).
    public var to: Int64?
    /// Keep only these account ids (empty: all). Taken from the S3 layout, else from `recipientAccountId`
    /// (or `userIdentity.accountId`) of the record.
    public var accounts: Set<String>
    /// Keep only these regions (empty: all). Taken from the S3 layout, else from the record's `awsRegion`.
    public var regions: Set<String>
    /// Inputs read at the same time (one reader, buffer and scanner each). Default: the number of cores.
    public var workers: Int
    /// Largest document (JSON Lines line, array element, record) accepted; larger ones are skipped and reported.
    public var maxDocumentBytes: Int
    /// Deepest nesting accepted.
    public var maxDepth: Int
    /// A gzip input that expands more than this ratio (after ``inflateGraceBytes``) is stopped and reported.
    /// Deflate cannot exceed about 1032:1, so the guard must sit well below that; CloudTrail files compress
    /// 8-15:1 (the grycap corpus: 14.5:1 at most).
    public var maxInflateRatio: Int
    /// Decompressed bytes allowed before the ratio guard applies.
    public var inflateGraceBytes: Int
    /// Drop a record whose `eventID` was already read from another input
    /// (see ``readRecords(options:makeState:visit:)``).
    public var deduplicate: Bool
    /// How long after an event CloudTrail may deliver it, for pruning S3 folders and files by their key date
    /// before opening them. Pruning never drops an event inside `from`...`to` delivered within this lag.
    public var deliveryLagMilliseconds: Int64
    /// A plain JSON Lines file at least this large is split at line boundaries between workers.
    public var splitThresholdBytes: Int
    /// Issues kept per input with their full text (all are counted).
    public var maxIssuesPerInput: Int
    /// Skip files and folders whose name starts with `.` when walking directories.
    public var skipHidden: Bool

    /// Options with the given paths and defaults for everything else (see each property).
    public init(paths: [String], from: Int64? = nil, to: Int64? = nil, accounts: Set<String> = [],
                regions: Set<String> = [], workers: Int? = nil, maxDocumentBytes: Int = 64 << 20,
                maxDepth: Int = 512, maxInflateRatio: Int = 200, inflateGraceBytes: Int = 16 << 20,
                deduplicate: Bool = true, deliveryLagMilliseconds: Int64 = 24 * 3_600_000,
                splitThresholdBytes: Int = 64 << 20, maxIssuesPerInput: Int = 20, skipHidden: Bool = true) {
        self.paths = paths
        self.from = from
        self.to = to
        self.accounts = accounts
        self.regions = regions
        self.workers = max(1, workers ?? InputOptions.coreCount)
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDepth = maxDepth
        self.maxInflateRatio = maxInflateRatio
        self.inflateGraceBytes = inflateGraceBytes
        self.deduplicate = deduplicate
        self.deliveryLagMilliseconds = deliveryLagMilliseconds
        self.splitThresholdBytes = splitThresholdBytes
        self.maxIssuesPerInput = maxIssuesPerInput
        self.skipHidden = skipHidden
    }

    /// Online processors.
    public static var coreCount: Int {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n > 0 ? Int(n) : 1
    }

    /// Parses a `from` / `to` bound: an RFC 3339 instant, or a date (`2024-01-31`), which as an upper bound
    /// means the end of that day (`2024-01-31T23:59:59.999Z`) and as a lower bound its start. Nil if invalid.
    public static func parseTimeBound(_ text: String, isUpperBound: Bool) -> Int64? {
        guard let millis = Timestamp.milliseconds(text) else { return nil }
        let isDateOnly = text.utf8.count == 10
        return isDateOnly && isUpperBound ? millis + 86_400_000 - 1 : millis
    }
}

/// Counts for one input or for all of them.
///
/// The arithmetic: `records = accepted + skippedTime + skippedAccount + skippedRegion + duplicates`.
/// `rejected` counts documents that could not be read as records (invalid JSON, not an object, too large):
/// they are not in `records`.
public struct InputCounts: Sendable, Hashable {
    /// Records read (every object taken as a record, before filters).
    public var records = 0
    /// Records handed to the visitor.
    public var accepted = 0
    /// Outside `from`...`to`, or without a valid `eventTime` while a time filter is set.
    public var skippedTime = 0
    /// Account not in ``InputOptions/accounts``.
    public var skippedAccount = 0
    /// Region not in ``InputOptions/regions``.
    public var skippedRegion = 0
    /// Dropped because their `eventID` was already read from another input.
    public var duplicates = 0
    /// Documents that could not be read as records.
    public var rejected = 0

    /// All counts zero.
    public init() {}

    static func += (lhs: inout InputCounts, rhs: InputCounts) {
        lhs.records += rhs.records
        lhs.accepted += rhs.accepted
        lhs.skippedTime += rhs.skippedTime
        lhs.skippedAccount += rhs.skippedAccount
        lhs.skippedRegion += rhs.skippedRegion
        lhs.duplicates += rhs.duplicates
        lhs.rejected += rhs.rejected
    }
}

/// The container format found in an input (from its content).
public enum InputFormat: String, Sendable, Hashable {
    /// `{"Records":[…]}` (a CloudTrail delivery file), possibly several in a row.
    case recordsObject = "records"
    /// A JSON array of records (or wrappers).
    case array
    /// One JSON object.
    case object
    /// Several top-level values: JSON Lines (or concatenated JSON).
    case jsonLines = "json-lines"
    /// Nothing could be read.
    case unknown
}

/// What happened to one input.
public struct InputFileReport: Sendable {
    /// The input (a path, or `-`).
    public var path: String
    /// Counts for this input.
    public var counts = InputCounts()
    /// Whether it was gzip-compressed.
    public var isGzip = false
    /// The format found.
    public var format = InputFormat.unknown
    /// The first ``InputOptions/maxIssuesPerInput`` rejected documents (and other problems), with positions.
    public var issues: [InputIssue] = []
    /// All issues, including those not kept in `issues`.
    public var issueCount = 0
    /// Why the input could not be read at all, or not to its end (records read before it still count).
    public var error: InputIssue?

    /// An empty report for `path`.
    public init(path: String) { self.path = path }
}

/// The outcome of reading all inputs.
public struct InputReport: Sendable {
    /// One entry per input read (files, chunks merged per file, standard input), in path order.
    public var inputs: [InputFileReport] = []
    /// Totals over `inputs`.
    public var totals = InputCounts()
    /// Paths given that matched nothing or could not be walked (each also has an entry in `inputs`).
    public var pathErrors: [InputIssue] = []
    /// Files skipped before opening because their S3 key date, account or region is outside the filters.
    public var prunedFiles = 0
    /// Folders skipped before listing them, for the same reasons.
    public var prunedDirectories = 0
    /// `CloudTrail-Digest` folders met while walking directories: they hold digests, not events, and were
    /// not read (name them explicitly to read them anyway).
    public var skippedDigestFolders = 0

    /// An empty report.
    public init() {}

    /// Inputs with a fatal error (unreadable, corrupt, truncated, empty...).
    public var failedInputs: [InputFileReport] { inputs.filter { $0.error != nil } }
}

/// Progress of a read, updated by the driver's workers and read by any thread (a progress line on a terminal):
/// the work planned once the inputs are walked, and what is finished.
public final class InputProgress: Sendable {
    private let plannedFiles = Atomic<Int>(0)
    private let plannedBytes = Atomic<Int>(0)
    private let doneFiles = Atomic<Int>(0)
    private let doneBytes = Atomic<Int>(0)

    public init() {}

    /// More work found by the walk (it grows while the walk goes on).
    func planned(files: Int, bytes: Int) {
        plannedFiles.add(files, ordering: .relaxed)
        plannedBytes.add(bytes, ordering: .relaxed)
    }

    func finished(bytes: Int) {
        doneFiles.add(1, ordering: .relaxed)
        doneBytes.add(bytes, ordering: .relaxed)
    }

    /// Files and bytes (as stored on disk, compressed or not) planned and done so far.
    public var snapshot: (files: Int, totalFiles: Int, bytes: Int, totalBytes: Int) {
        (doneFiles.load(ordering: .relaxed), plannedFiles.load(ordering: .relaxed),
         doneBytes.load(ordering: .relaxed), plannedBytes.load(ordering: .relaxed))
    }
}
