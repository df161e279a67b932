/// Reads the records of one input held in memory: the same formats, limits and issues as
/// ``readRecords(options:makeState:visit:)`` for one file, without filters, deduplication or threads.
///
/// Reuse one extractor for many inputs (it keeps its buffer, tape and zlib state); it is not thread-safe.
public final class RecordExtractor {
    private let reader: RecordReader
    private let maxInflateRatio: Int
    private let inflateGraceBytes: Int

    /// Creates an extractor with the limits of `options` (its paths and filters are ignored).
    public init(options: InputOptions = InputOptions(paths: [])) {
        reader = RecordReader(limits: JSONLimits(maxDepth: options.maxDepth,
                                                 maxDocumentBytes: options.maxDocumentBytes),
                              maxIssues: options.maxIssuesPerInput)
        maxInflateRatio = options.maxInflateRatio
        inflateGraceBytes = options.inflateGraceBytes
    }

    /// Reads `bytes` (plain or gzip, any container format) and calls `visit` for every record.
    /// - Parameters:
    ///   - path: the name used in issues.
    ///   - readSize: at most this many bytes are handed to the reader at a time (for tests of streaming).
    /// - Returns: counts (`records`, `accepted` = `records`, `rejected`), issues and the format found.
    public func read(_ bytes: UnsafeRawBufferPointer, path: String = "<memory>", readSize: Int = 1 << 20,
                     visit: (borrowing CloudTrailEvent) -> Void) -> InputFileReport {
        let source = MemorySource(bytes: bytes.bindMemory(to: UInt8.self), maxRead: max(1, readSize))
        withoutActuallyEscaping(visit) { visit in
            reader.readSniffing(source, path: path, maxInflateRatio: maxInflateRatio,
                                inflateGraceBytes: inflateGraceBytes) { visit($0) }
        }
        let tally = reader.tally
        reader.trim()
        var report = InputFileReport(path: path)
        report.counts.records = tally.records
        report.counts.accepted = tally.records
        report.counts.rejected = tally.rejected
        report.issues = tally.issues
        report.issueCount = tally.issueCount
        report.error = tally.fatal
        report.isGzip = tally.sawGzip
        report.format = tally.format
        return report
    }

    /// ``read(_:path:readSize:visit:)`` over an array.
    public func read(_ bytes: [UInt8], path: String = "<memory>", readSize: Int = 1 << 20,
                     visit: (borrowing CloudTrailEvent) -> Void) -> InputFileReport {
        bytes.withUnsafeBytes { read($0, path: path, readSize: readSize, visit: visit) }
    }
}
