#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Streaming extraction of records from one input, whatever its container format.
//
// The reader keeps one growable buffer and pulls bytes from a ByteSource. It never needs a whole file in
// memory: top-level values (JSON Lines, concatenated or pretty-printed objects) are scanned one at a time;
// a top-level array and a `{"Records":[…]}` object are split into their elements as they stream by. A value
// that does not fit in the buffer yet is rescanned after a refill; the buffer grows geometrically up to the
// document size limit, so rescans cost at most about twice the value's size.

/// Counters and issues of one input (or one chunk of it).
struct InputTally {
    var records = 0
    var rejected = 0
    var issues: [InputIssue] = []
    var issueCount = 0
    var fatal: InputIssue?
    var sawGzip = false
    var sawRecordsObject = false
    var sawArray = false
    var topLevelValues = 0
    /// Newlines consumed (for chunks: to turn chunk-relative lines into file lines).
    var newlines = 0

    /// The container format these counters describe.
    var format: InputFormat {
        if topLevelValues > 1 { return .jsonLines }
        if sawArray { return .array }
        if sawRecordsObject { return .recordsObject }
        return topLevelValues == 1 ? .object : .unknown
    }
}

/// What the reader calls for every record.
typealias RecordHandler = (borrowing CloudTrailEvent) -> Void

final class RecordReader {
    let scanner: JSONScanner
    let inflater = Inflater()
    /// libdeflate state for whole-file gzip inflation; nil when the library is not installed.
    let fastGzip = FastGzip()
    let maxDocumentBytes: Int
    let maxIssues: Int
    let chunk: Int

    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    // Per-input state.
    private var start = 0
    private var end = 0
    private var eof = false
    private var sourceFailed = false
    private var discarded = 0
    private var line = 1
    private var lineStart = 0
    private var stopOffset = Int.max
    private var stopped = false
    private var linesKnown = true
    private var path = ""
    private var onRecord: RecordHandler = { _ in }
    var tally = InputTally()

    init(limits: JSONLimits, maxIssues: Int, chunk: Int = 1 << 20) {
        scanner = JSONScanner(limits: limits)
        maxDocumentBytes = limits.maxDocumentBytes
        self.maxIssues = maxIssues
        self.chunk = chunk
        capacity = chunk * 2
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// Bytes of memory this reader holds (buffer + tape).
    var memoryBytes: Int { capacity + scanner.tapeBytes }

    // MARK: - Entry point

    /// Reads every record of `source`.
    /// - Parameters:
    ///   - startOffset: absolute offset of the source's first byte; when > 0 (a chunk of a split JSON Lines
    ///     file, whose source starts one byte early) the partial first line is skipped and lines are counted
    ///     from the chunk's first line.
    ///   - stopOffset: stop at the first line that starts at or after this offset (chunks).
    func read<S: ByteSource>(_ source: inout S, path: String, startOffset: Int = 0, stopOffset: Int = .max,
                             onRecord: @escaping RecordHandler) {
        self.path = path
        self.onRecord = onRecord
        start = 0
        end = 0
        eof = false
        sourceFailed = false
        // A chunk's source starts one byte early (to see whether the chunk starts a line).
        discarded = max(0, startOffset - 1)
        line = 1
        lineStart = discarded
        self.stopOffset = stopOffset
        stopped = false
        linesKnown = startOffset == 0
        tally = InputTally()
        defer { self.onRecord = { _ in } }

        if startOffset > 0 {
            // The source starts one byte before the chunk: skip through the first newline.
            guard skipPastNewline(&source) else { return }
            line = 1
            if discarded + start >= stopOffset { return }
        } else {
            _ = ensure(3, &source)
            if end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF {
                start += 3  // a UTF-8 byte order mark at the start of the input is ignored
            }
        }
        readTopLevel(&source)
        tally.newlines = line - 1
        if tally.fatal == nil && tally.records == 0, let first = tally.issues.first, first.code == .notJSON {
            tally.fatal = first  // nothing but a non-JSON start: the input as a whole is not JSON
        }
        if tally.fatal == nil && tally.topLevelValues == 0 && tally.rejected == 0 && startOffset == 0 {
            let total = discarded + end
            tally.fatal = InputIssue(code: .empty, message: total == 0 ? "the input is empty (0 bytes)"
                                        : "the input holds only whitespace (\(total) bytes)", path: path)
        }
    }

    /// Reads a gzip or plain file descriptor, sniffing gzip from its magic bytes (not its name).
    /// - Parameter size: the file's size from `fstat` (regular files only; nil for pipes and terminals).
    func readDescriptor(fd: Int32, seekable: Bool, size: Int? = nil, path: String, startOffset: Int = 0,
                        stopOffset: Int = .max, maxInflateRatio: Int, inflateGraceBytes: Int,
                        onRecord: @escaping RecordHandler) {
        var file = FileSource(fd: fd, path: path, offset: startOffset > 0 ? startOffset - 1 : 0, seekable: seekable,
                              size: size ?? .max)
        if startOffset == 0, stopOffset == .max, let size, size > 0, size < FastGzip.maxCompressedBytes,
            let fast = fastGzip
        {
            // A whole file (not a chunk of a split JSON Lines file) of known, bounded size (a delivery file is a
            // few KB): one read into the libdeflate buffer, the gzip magic sniffed from memory, no separate read
            // of its first bytes.
            let count: Int
            do throws(InputIssue) {
                fast.reserveCompressed(size)
                switch try fast.slurp(&file) {
                case .complete(let n):
                    count = n
                case .tooLarge:
                    // Reads stop at `size`, below the limit: never reached, but never a silent loss either.
                    throw InputIssue(code: .unreadable, message: "the file grew past \(size) bytes while read",
                                     path: path)
                }
            } catch {
                tally = InputTally()
                tally.fatal = error
                return
            }
            if count >= 2 && fast.compressed[0] == 0x1F && fast.compressed[1] == 0x8B {
                inflateSlurped(fast, count: count, path: path, maxInflateRatio: maxInflateRatio,
                               inflateGraceBytes: inflateGraceBytes, onRecord: onRecord)
            } else {
                var memory = MemorySource(bytes: UnsafeBufferPointer(start: fast.compressed, count: count),
                                          maxRead: .max)
                read(&memory, path: path, onRecord: onRecord)
            }
            return
        }
        readSniffing(file, path: path, startOffset: startOffset, stopOffset: stopOffset,
                     maxInflateRatio: maxInflateRatio, inflateGraceBytes: inflateGraceBytes, onRecord: onRecord)
    }

    /// Reads `source`, decompressing it when it starts with the gzip magic bytes.
    func readSniffing<S: ByteSource>(_ source: S, path: String, startOffset: Int = 0, stopOffset: Int = .max,
                                     maxInflateRatio: Int, inflateGraceBytes: Int,
                                     onRecord: @escaping RecordHandler) {
        var source = source
        // Sniff into a small buffer; it is handed back as a prefix.
        let headCapacity = 64
        let head = UnsafeMutablePointer<UInt8>.allocate(capacity: headCapacity)
        defer { head.deallocate() }
        var count = 0
        do {
            while count < 2 {
                let n = try source.read(into: head + count, count: headCapacity - count)
                if n == 0 { break }
                count += n
            }
        } catch {
            tally = InputTally()
            tally.fatal = error
            return
        }
        let prefixed = PrefixedSource(prefix: UnsafeBufferPointer(start: head, count: count), base: source)
        if startOffset == 0 && count >= 2 && head[0] == 0x1F && head[1] == 0x8B {
            if let fast = fastGzip {
                readWithLibdeflate(fast, prefixed, path: path, maxInflateRatio: maxInflateRatio,
                                   inflateGraceBytes: inflateGraceBytes, onRecord: onRecord)
                return
            }
            readWithZlib(prefixed, path: path, maxInflateRatio: maxInflateRatio,
                         inflateGraceBytes: inflateGraceBytes, onRecord: onRecord)
        } else {
            var plain = prefixed
            read(&plain, path: path, startOffset: startOffset, stopOffset: stopOffset, onRecord: onRecord)
        }
    }

    /// Streams a gzip source through zlib (the reference path: exact errors, every byte before one kept).
    private func readWithZlib<S: ByteSource>(
        _ source: S, path: String, maxInflateRatio: Int, inflateGraceBytes: Int, onRecord: @escaping RecordHandler
    ) {
        do {
            var gzip = try GzipSource(base: source, inflater: inflater, path: path, maxRatio: maxInflateRatio,
                                      ratioGraceBytes: inflateGraceBytes)
            read(&gzip, path: path, onRecord: onRecord)
            tally.sawGzip = true
        } catch {
            tally = InputTally()
            tally.fatal = error
        }
    }

    /// The fast path for gzip files: read the whole (bounded) file, inflate it with libdeflate, and read the
    /// records from memory. Anything unusual goes to zlib's streaming path over the same bytes.
    private func readWithLibdeflate<S: ByteSource>(
        _ fast: FastGzip, _ source: S, path: String, maxInflateRatio: Int, inflateGraceBytes: Int,
        onRecord: @escaping RecordHandler
    ) {
        var source = source
        let slurped: FastGzip.Slurp
        do {
            slurped = try fast.slurp(&source)
        } catch {
            tally = InputTally()
            tally.fatal = error
            return
        }
        func streamThroughZlib<B: ByteSource>(_ base: B) {
            readWithZlib(base, path: path, maxInflateRatio: maxInflateRatio, inflateGraceBytes: inflateGraceBytes,
                         onRecord: onRecord)
        }
        switch slurped {
        case .tooLarge(let count):
            streamThroughZlib(PrefixedSource(prefix: UnsafeBufferPointer(start: fast.compressed, count: count),
                                             base: source))
        case .complete(let count):
            inflateSlurped(fast, count: count, path: path, maxInflateRatio: maxInflateRatio,
                           inflateGraceBytes: inflateGraceBytes, onRecord: onRecord)
        }
    }

    /// Inflates the gzip bytes in `fast.compressed[0..<count]` with libdeflate and reads the records from memory;
    /// anything libdeflate refuses is streamed through zlib for the precise diagnosis.
    private func inflateSlurped(
        _ fast: FastGzip, count: Int, path: String, maxInflateRatio: Int, inflateGraceBytes: Int,
        onRecord: @escaping RecordHandler
    ) {
        let maxOutput = max(inflateGraceBytes, count.multipliedReportingOverflow(by: maxInflateRatio).overflow
                                ? Int.max : count * maxInflateRatio)
        if let size = fast.inflate(count: count, maxOutput: maxOutput) {
            var memory = MemorySource(bytes: UnsafeBufferPointer(start: fast.output, count: size), maxRead: .max)
            read(&memory, path: path, onRecord: onRecord)
            tally.sawGzip = true
        } else {
            readWithZlib(MemorySource(bytes: UnsafeBufferPointer(start: fast.compressed, count: count), maxRead: .max),
                         path: path, maxInflateRatio: maxInflateRatio, inflateGraceBytes: inflateGraceBytes,
                         onRecord: onRecord)
        }
    }

    // MARK: - Top level

    private func readTopLevel<S: ByteSource>(_ source: inout S) {
        while !stopped {
            guard skipWhitespace(&source, topLevel: true), !stopped else { return }
            let c = buffer[start]
            tally.topLevelValues += 1
            if c == 0x5B {  // [
                tally.sawArray = true
                start += 1
                if !readElements(&source, recordsArray: false) { return }
            } else if c == 0x7B, matchRecordsPrefix(&source) {
                tally.sawRecordsObject = true
                if !readElements(&source, recordsArray: true) { return }
                if !readRestOfObject(&source) { return }
            } else {
                // Scanning may compact the buffer: `start` is re-read after it, never cached across it.
                switch scanDocument(&source) {
                case .complete(let valueEnd):
                    handleDocument(start, valueEnd, isRecordsElement: false)
                case .failed(let failure):
                    guard handleFailure(failure, firstValue: tally.topLevelValues == 1 && tally.records == 0,
                                        &source) else { return }
                }
            }
        }
    }

    /// Elements of an array whose `[` was consumed. True when reading goes on at the top level (after the
    /// closing `]`, or at a later line after an error), false at the end of the input.
    private func readElements<S: ByteSource>(_ source: inout S, recordsArray: Bool) -> Bool {
        guard skipWhitespace(&source) else { return truncatedStructure("an array") }
        if buffer[start] == 0x5D {
            start += 1
            return true
        }
        while true {
            switch scanDocument(&source) {
            case .complete(let valueEnd):
                handleDocument(start, valueEnd, isRecordsElement: recordsArray)
            case .failed(let failure):
                if failure.code == .documentTooLarge {
                    // Skipped past the element: go on with the next one.
                    guard handleFailure(failure, firstValue: false, &source) else { return false }
                } else {
                    // Resynchronised at a later line (true) or at the end of the input (false).
                    return handleFailure(failure, firstValue: false, &source, abandoning: "the rest of the array")
                }
            }
            guard skipWhitespace(&source) else { return truncatedStructure("an array") }
            let c = buffer[start]
            if c == 0x2C {
                start += 1
                guard skipWhitespace(&source) else { return truncatedStructure("an array") }
                continue
            }
            if c == 0x5D {
                start += 1
                return true
            }
            let failure = ScanFailure(code: .unexpectedByte,
                                      message: "expected ',' or ']' after an array element, found \(describeByte(c))",
                                      offset: start)
            return handleFailure(failure, firstValue: false, &source, abandoning: "the rest of the array")
        }
    }

    /// After the `Records` array: the other members of the object and its `}` (validated, ignored). True when
    /// reading goes on at the top level.
    private func readRestOfObject<S: ByteSource>(_ source: inout S) -> Bool {
        while true {
            guard skipWhitespace(&source) else { return truncatedStructure("an object") }
            let c = buffer[start]
            if c == 0x7D {
                start += 1
                return true
            }
            guard c == 0x2C else {
                let failure = ScanFailure(code: .unexpectedByte,
                                          message: "expected ',' or '}' after the Records array, found "
                                              + describeByte(c), offset: start)
                return handleFailure(failure, firstValue: false, &source, abandoning: "the rest of the object")
            }
            start += 1
            // A key (a string value), a colon, a value.
            guard skipWhitespace(&source) else { return truncatedStructure("an object") }
            guard buffer[start] == 0x22 else {
                let failure = ScanFailure(code: .unexpectedByte,
                                          message: "expected a string key, found \(describeByte(buffer[start]))",
                                          offset: start)
                return handleFailure(failure, firstValue: false, &source, abandoning: "the rest of the object")
            }
            for part in 0..<2 {
                switch scanDocument(&source) {
                case .complete(let valueEnd):
                    line += scanner.newlines
                    start = valueEnd
                case .failed(let failure):
                    return handleFailure(failure, firstValue: false, &source, abandoning: "the rest of the object")
                }
                if part == 0 {
                    guard skipWhitespace(&source) else { return truncatedStructure("an object") }
                    guard buffer[start] == 0x3A else {
                        let failure = ScanFailure(code: .unexpectedByte,
                                                  message: "expected ':' after an object key, found "
                                                      + describeByte(buffer[start]), offset: start)
                        return handleFailure(failure, firstValue: false, &source,
                                             abandoning: "the rest of the object")
                    }
                    start += 1
                }
            }
        }
    }

    private func truncatedStructure(_ what: String) -> Bool {
        if !sourceFailed {
            addIssue(InputIssue(code: .truncated, message: "the input ends inside \(what) (truncated file?)",
                                path: path, line: line, byteOffset: discarded + start),
                     rejected: false)
        }
        return false
    }

    private static let quotedRecordsKey: [UInt8] = Array("\"Records\"".utf8)

    /// `{` ws `"Records"` ws `:` ws `[` at `start`: consumes it and returns true (the streaming batch case).
    private func matchRecordsPrefix<S: ByteSource>(_ source: inout S) -> Bool {
        _ = ensure(256, &source)
        var p = start + 1
        var newlines = 0
        func ws() {
            while p < end, buffer[p] == 0x20 || buffer[p] == 0x0A || buffer[p] == 0x0D || buffer[p] == 0x09 {
                if buffer[p] == 0x0A { newlines += 1 }
                p += 1
            }
        }
        ws()
        let key = RecordReader.quotedRecordsKey
        guard p + key.count <= end else { return false }
        for i in 0..<key.count where buffer[p + i] != key[i] { return false }
        p += key.count
        ws()
        guard p < end, buffer[p] == 0x3A else { return false }
        p += 1
        ws()
        guard p < end, buffer[p] == 0x5B else { return false }
        start = p + 1
        line += newlines
        return true
    }

    // MARK: - Documents

    private enum DocumentOutcome {
        case complete(Int)
        case failed(ScanFailure)
    }

    /// Scans the value at `start`, refilling as needed. On success the tape holds it; `start` is unchanged.
    private func scanDocument<S: ByteSource>(_ source: inout S) -> DocumentOutcome {
        while true {
            switch scanner.scanValue(buffer, from: start, to: end, isFinal: eof) {
            case .complete(let valueEnd):
                return .complete(valueEnd)
            case .failed(let failure):
                return .failed(failure)
            case .needMore:
                growAndRefill(&source)
            }
        }
    }

    /// Emits the record(s) of the scanned document `[documentStart, valueEnd)` and consumes it.
    private func handleDocument(_ documentStart: Int, _ valueEnd: Int, isRecordsElement: Bool) {
        let tape = UnsafePointer(scanner.tape)
        let base = UnsafePointer(buffer)
        let multiline = scanner.newlines > 0
        if isRecordsElement {
            if tape[0].kind == .object {
                emit(0, tape, base, documentStart, multiline)
            } else {
                reject(documentStart, "an element of the Records array is not an object")
            }
        } else {
            switch tape[0].kind {
            case .array:
                var i = 1
                let end = Int(tape[0].next)
                while i < end {
                    classifyAndEmit(i, tape, base, documentStart, multiline)
                    i = Int(tape[i].next)
                }
            case .object:
                if classifyAndEmit(0, tape, base, documentStart, multiline) { tally.sawRecordsObject = true }
            default:
                reject(documentStart, "a top-level JSON value that is not an object or an array")
            }
        }
        line += scanner.newlines
        start = valueEnd
    }

    /// Emits the record(s) of the value at `index`; true if it was a `Records` batch.
    @discardableResult
    private func classifyAndEmit(_ index: Int, _ tape: UnsafePointer<TapeEntry>, _ base: UnsafePointer<UInt8>,
                                 _ documentStart: Int, _ multiline: Bool) -> Bool {
        guard tape[index].kind == .object else {
            reject(Int(tape[index].start), "an array element that is not an object")
            return false
        }
        let (records, record) = RecordClassifier.classify(tape, base, index)
        if records >= 0 {
            var i = records + 1
            let end = Int(tape[records].next)
            while i < end {
                if tape[i].kind == .object {
                    emit(i, tape, base, documentStart, multiline)
                } else {
                    reject(Int(tape[i].start), "an element of the Records array is not an object")
                }
                i = Int(tape[i].next)
            }
            return true
        }
        emit(record, tape, base, documentStart, multiline)
        return false
    }

    @inline(__always)
    private func emit(_ index: Int, _ tape: UnsafePointer<TapeEntry>, _ base: UnsafePointer<UInt8>,
                      _ documentStart: Int, _ multiline: Bool) {
        let offset = Int(tape[index].start)
        var recordLine: Int?
        if linesKnown {
            recordLine = multiline ? lineAndColumn(base, from: start, to: offset, baseLine: line).line : line
        }
        tally.records += 1
        onRecord(CloudTrailEvent(base: base, tape: tape, root: index, inputPath: path,
                                 byteOffset: discarded + offset, line: recordLine))
    }

    private func reject(_ offset: Int, _ message: String) {
        let position = lineAndColumn(buffer, from: start, to: offset, baseLine: line)
        addIssue(InputIssue(code: .notARecord, message: message, path: path,
                            line: position.line, byteOffset: discarded + offset), rejected: true)
    }

    private func addIssue(_ issue: InputIssue, rejected: Bool) {
        if rejected { tally.rejected += 1 }
        tally.issueCount += 1
        if tally.issues.count < maxIssues { tally.issues.append(issue) }
    }

    // MARK: - Failures and recovery

    /// Reports a failed document and moves past it. Returns false when reading must stop.
    private func handleFailure<S: ByteSource>(_ failure: ScanFailure, firstValue: Bool, _ source: inout S,
                                              abandoning: String? = nil) -> Bool {
        // When the source failed (corrupt or truncated gzip), its own error explains a document cut short;
        // errors inside the bytes received before it are reported as usual.
        if sourceFailed && (failure.code == .unexpectedEnd || failure.code == .empty) { return false }
        let position = lineAndColumn(buffer, from: start, to: min(failure.offset, end), baseLine: line)
        let issueLine = position.line
        let offset = discarded + failure.offset
        switch failure.code {
        case .documentTooLarge:
            addIssue(InputIssue(code: .documentTooLarge,
                                message: "a document is larger than the limit of \(maxDocumentBytes) bytes; "
                                    + "it was skipped", path: path, line: issueLine, byteOffset: discarded + start),
                     rejected: true)
            return skipValue(&source)
        case .unexpectedEnd, .empty:
            addIssue(InputIssue(code: .truncated, message: "the input ends inside a document (truncated file?)",
                                path: path, line: issueLine, byteOffset: offset, jsonCode: failure.code),
                     rejected: true)
            return false
        default:
            let isNotJSON = firstValue && failure.offset == start && failure.code == .unexpectedByte
            var message = isNotJSON ? "not JSON: the input starts with \(describeByte(buffer[start]))"
                                    : "invalid JSON: \(failure.message)"
            if position.line != line { message += " (in the document that starts on line \(line))" }
            if let abandoning { message += "; \(abandoning) was skipped" }
            addIssue(InputIssue(code: isNotJSON ? .notJSON : (failure.code == .depthLimit ? .depthLimit : .invalidJSON),
                                message: message, path: path, line: issueLine, byteOffset: offset,
                                jsonCode: failure.code), rejected: true)
            // Resume at the first line after the document's first line that starts with '{' or '[' (even
            // before the error: a cut-short JSON Lines record is often only detected on the next line).
            let documentLine = line
            let resumed = resyncToValueLine(&source)
            let skipped = line - documentLine - (resumed ? 1 : 0)
            if skipped > 0, tally.issues.count <= maxIssues, !tally.issues.isEmpty {
                tally.issues[tally.issues.count - 1].message += "; \(skipped) more line(s) skipped up to the next "
                    + "line starting with '{' or '['"
            }
            return resumed
        }
    }

    /// Skips to just after the next newline that is followed by `{` or `[`. False at the end of the input.
    private func resyncToValueLine<S: ByteSource>(_ source: inout S) -> Bool {
        var atLineStart = false
        while true {
            // Local copies: these loops may cross a gigabyte, class property access per byte would dominate.
            let base = buffer
            var p = start
            let e = end
            if atLineStart && p < e {
                if base[p] == 0x7B || base[p] == 0x5B { return true }
                atLineStart = false
            }
            while p < e {
                guard let hit = memchr(base + p, 0x0A, e - p) else {
                    p = e
                    break
                }
                p = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit)) + 1
                line += 1
                lineStart = discarded + p
                if lineStart >= stopOffset {
                    start = p
                    stopped = true
                    return false
                }
                if p < e {
                    if base[p] == 0x7B || base[p] == 0x5B {
                        start = p
                        return true
                    }
                } else {
                    atLineStart = true
                }
            }
            start = p
            guard ensure(1, &source) else { return false }
        }
    }

    /// Skips the (oversized) value at `start` without keeping it, tracking only strings and nesting.
    private func skipValue<S: ByteSource>(_ source: inout S) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var depth = 0
        var inString = false
        var escaped = false
        var isScalar = true
        var first = true
        while true {
            let base = buffer
            var p = start
            let e = end
            var newlines = 0
            var lastNewline = -1
            var done = false
            scan: while p < e {
                if inString && !escaped {
                    // Inside a string only a quote, a backslash or a newline matters: 8 bytes at a time.
                    while p &+ 8 <= e {
                        let w = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
                        let q = w ^ (ones &* 0x22)
                        let b = w ^ (ones &* 0x5C)
                        let n = w ^ (ones &* 0x0A)
                        let m = (((q &- ones) & ~q) | ((b &- ones) & ~b) | ((n &- ones) & ~n)) & highs
                        if m == 0 {
                            p &+= 8
                        } else {
                            p &+= m.trailingZeroBitCount &>> 3
                            break
                        }
                    }
                    if p >= e { break scan }
                }
                let c = base[p]
                if !inString && isScalar && depth == 0 && !first
                    && (c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == 0x2C) {
                    // A scalar ends at its delimiter, which is not part of it (nor counted here).
                    done = true
                    break scan
                }
                if c == 0x0A {
                    newlines += 1
                    lastNewline = p
                }
                if inString {
                    if escaped {
                        escaped = false
                    } else if c == 0x5C {
                        escaped = true
                    } else if c == 0x22 {
                        inString = false
                        if depth == 0 {
                            p += 1
                            done = true
                            break scan
                        }
                    }
                } else {
                    switch c {
                    case 0x22:
                        inString = true
                    case 0x7B, 0x5B:
                        depth += 1
                        isScalar = false
                    case 0x7D, 0x5D:
                        depth -= 1
                        if depth <= 0 {
                            p += 1
                            done = true
                            break scan
                        }
                    default:
                        break
                    }
                }
                first = false
                p += 1
            }
            line += newlines
            if lastNewline >= 0 { lineStart = discarded + lastNewline + 1 }
            start = p
            if done { return true }
            guard ensure(1, &source) else { return false }
        }
    }

    private func skipPastNewline<S: ByteSource>(_ source: inout S) -> Bool {
        while true {
            if start < end, let hit = memchr(buffer + start, 0x0A, end - start) {
                start = UnsafeRawPointer(buffer).distance(to: UnsafeRawPointer(hit)) + 1
                lineStart = discarded + start
                return true
            }
            start = end
            guard ensure(1, &source) else { return false }
        }
    }

    // MARK: - Buffer management

    /// Skips whitespace at `start`; false at the end of the input. At the top level of a chunk, stops at
    /// the first line that starts at or after `stopOffset`.
    private func skipWhitespace<S: ByteSource>(_ source: inout S, topLevel: Bool = false) -> Bool {
        while true {
            while start < end {
                let c = buffer[start]
                if c == 0x0A {
                    line += 1
                    start += 1
                    lineStart = discarded + start
                    if topLevel && lineStart >= stopOffset {
                        stopped = true
                        return false
                    }
                } else if c == 0x20 || c == 0x0D || c == 0x09 {
                    start += 1
                } else {
                    return true
                }
            }
            guard ensure(1, &source) else { return false }
        }
    }

    /// Makes at least `count` bytes available at `start` unless the input ends first. False if none is.
    @discardableResult
    private func ensure<S: ByteSource>(_ count: Int, _ source: inout S) -> Bool {
        while end - start < count && !eof {
            compact()
            if capacity - end < chunk / 2 { grow(to: capacity * 2) }
            fill(&source)
        }
        return end > start
    }

    /// After `.needMore`: make room so the pending value can at least double, then read.
    private func growAndRefill<S: ByteSource>(_ source: inout S) {
        compact()
        let have = end - start
        let cap = maxDocumentBytes + chunk
        let wanted = min(max(have * 2, have + chunk), cap)
        if wanted > capacity { grow(to: wanted) }
        let target = min(capacity, have * 2 + 1)
        repeat {
            fill(&source)
        } while !eof && end < target && end < capacity
    }

    private func compact() {
        guard start > 0 else { return }
        let remaining = end - start
        if remaining > 0 { buffer.update(from: buffer + start, count: remaining) }
        discarded += start
        start = 0
        end = remaining
    }

    private func grow(to newCapacity: Int) {
        let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBuffer.update(from: buffer, count: end)
        buffer.deallocate()
        buffer = newBuffer
        capacity = newCapacity
    }

    /// Shrinks a buffer that grew for one huge document back to its normal size (between inputs).
    func trim() {
        if capacity > chunk * 8 {
            buffer.deallocate()
            capacity = chunk * 2
            buffer = .allocate(capacity: capacity)
        }
        start = 0
        end = 0
    }

    private func fill<S: ByteSource>(_ source: inout S) {
        guard !eof, end < capacity else { return }
        do {
            let n = try source.read(into: buffer + end, count: capacity - end)
            if n == 0 { eof = true }
            end += n
        } catch {
            eof = true
            sourceFailed = true
            tally.fatal = error
        }
    }
}
