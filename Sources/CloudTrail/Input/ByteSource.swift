#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// A stream of bytes the record reader pulls from.
protocol ByteSource {
    /// Reads up to `count` bytes into `buffer`; 0 means the end of the stream.
    mutating func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(InputIssue) -> Int
}

/// A file descriptor read sequentially from an offset (with `pread`, so chunks of one file can be read
/// by several workers). The reader owns closing the descriptor.
struct FileSource: ByteSource {
    let fd: Int32
    let path: String
    var offset: Int
    /// Whether `pread` can be used (regular files); pipes and terminals use `read`.
    let seekable: Bool
    /// The file's size when it was opened (regular files): reading stops there without asking the kernel for an
    /// end of file it already told us about — one system call less per file. A file that grows while it is read
    /// is read as it was when opened.
    var size: Int = .max

    mutating func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(InputIssue) -> Int {
        let count = min(count, size - offset)
        if count <= 0 { return 0 }
        while true {
            let n = seekable ? pread(fd, buffer, count, off_t(offset)) : readDescriptor(fd, buffer, count)
            if n >= 0 {
                offset += n
                return n
            }
            let code = errno
            if code == EINTR { continue }
            throw InputIssue(code: .unreadable, message: "read failed: \(systemError(code))", path: path,
                             byteOffset: offset)
        }
    }
}

/// Bytes in memory, handed out at most `maxRead` at a time (small values exercise every refill path).
struct MemorySource: ByteSource {
    var bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    let maxRead: Int

    mutating func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(InputIssue) -> Int {
        let n = min(count, maxRead, bytes.count - offset)
        guard n > 0, let base = bytes.baseAddress else { return 0 }
        buffer.update(from: base + offset, count: n)
        offset += n
        return n
    }
}

/// Bytes already read (the sniffed head of a file) followed by the rest of a source.
struct PrefixedSource<Base: ByteSource>: ByteSource {
    var prefix: UnsafeBufferPointer<UInt8>
    var base: Base

    mutating func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(InputIssue) -> Int {
        if !prefix.isEmpty, let start = prefix.baseAddress {
            let n = min(count, prefix.count)
            buffer.update(from: start, count: n)
            prefix = UnsafeBufferPointer(rebasing: prefix[n...])
            return n
        }
        return try base.read(into: buffer, count: count)
    }
}

/// Reusable zlib state and compressed-input buffer of one worker (allocated once, reset per file).
final class Inflater {
    let stream: UnsafeMutablePointer<z_stream>
    let input: UnsafeMutablePointer<UInt8>
    let inputCapacity: Int
    private var initialized = false

    init(inputCapacity: Int = 256 << 10) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(capacity: inputCapacity)
        self.inputCapacity = inputCapacity
    }

    deinit {
        if initialized { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    /// Prepares for a new gzip stream; false if zlib cannot allocate its state.
    func reset() -> Bool {
        if initialized { return inflateReset(stream) == Z_OK }
        // 16 + 15: gzip wrapper only, 32 KiB window. z_stream must stay at a fixed address (zlib checks it).
        let rc = inflateInit2_(stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        initialized = rc == Z_OK
        return initialized
    }
}

/// Streaming gzip decompression (multi-member aware) with a guard against decompression bombs.
struct GzipSource<Base: ByteSource>: ByteSource {
    var base: Base
    let inflater: Inflater
    let path: String
    let maxRatio: Int
    let ratioGraceBytes: Int
    private var inputStart = 0
    private var inputEnd = 0
    private var baseAtEnd = false
    private var streamEnded = false
    private var totalIn = 0
    private var totalOut = 0
    /// An error met by the call that also produced output: thrown by the next call, so no byte is lost.
    private var pendingError: InputIssue?

    init(base: Base, inflater: Inflater, path: String, maxRatio: Int, ratioGraceBytes: Int) throws(InputIssue) {
        self.base = base
        self.inflater = inflater
        self.path = path
        self.maxRatio = maxRatio
        self.ratioGraceBytes = ratioGraceBytes
        guard inflater.reset() else {
            throw InputIssue(code: .unreadable, message: "zlib could not be initialised", path: path)
        }
    }

    private mutating func refill() throws(InputIssue) {
        inputStart = 0
        inputEnd = 0
        guard !baseAtEnd else { return }
        let n = try base.read(into: inflater.input, count: inflater.inputCapacity)
        if n == 0 { baseAtEnd = true }
        inputEnd = n
    }

    mutating func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(InputIssue) -> Int {
        let stream = inflater.stream
        if let pendingError { throw pendingError }
        while true {
            if streamEnded {
                // After a member: another member, zero padding, or trailing garbage.
                if inputStart == inputEnd { try refill() }
                if inputStart == inputEnd { return 0 }
                while inputStart < inputEnd && inflater.input[inputStart] == 0 { inputStart += 1 }
                if inputStart == inputEnd { continue }
                guard inflater.input[inputStart] == 0x1F else {
                    throw InputIssue(code: .gzipTrailingData,
                                     message: "unexpected data after the end of the gzip stream "
                                         + "(compressed byte \(totalIn + inputStart))", path: path)
                }
                guard inflateReset(stream) == Z_OK else {
                    throw InputIssue(code: .gzipCorrupt, message: "zlib could not start the next gzip member",
                                     path: path)
                }
                streamEnded = false
            }
            if inputStart == inputEnd {
                try refill()
                if inputStart == inputEnd {
                    throw InputIssue(code: .gzipTruncated,
                                     message: "the gzip stream ends before its end marker after \(totalIn) "
                                         + "compressed bytes (\(totalOut) bytes decompressed): truncated file?",
                                     path: path, byteOffset: totalOut)
                }
            }
            stream.pointee.next_in = inflater.input + inputStart
            stream.pointee.avail_in = UInt32(inputEnd - inputStart)
            stream.pointee.next_out = buffer
            stream.pointee.avail_out = UInt32(min(count, Int(UInt32.max)))
            let rc = inflate(stream, Z_NO_FLUSH)
            let consumed = (inputEnd - inputStart) - Int(stream.pointee.avail_in)
            let produced = min(count, Int(UInt32.max)) - Int(stream.pointee.avail_out)
            inputStart += consumed
            totalIn += consumed
            totalOut += produced
            switch rc {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                streamEnded = true
            default:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                let issue = InputIssue(code: .gzipCorrupt,
                                       message: "corrupt gzip data near compressed byte \(totalIn): \(detail)",
                                       path: path, byteOffset: totalOut)
                guard produced > 0 else { throw issue }
                pendingError = issue
                return produced
            }
            if totalOut > ratioGraceBytes && totalOut / max(totalIn, 1) > maxRatio {
                throw InputIssue(code: .inflateRatio,
                                 message: "gzip data expands more than \(maxRatio):1 (\(totalIn) bytes became "
                                     + "\(totalOut)): refusing a possible decompression bomb",
                                 path: path, byteOffset: totalOut)
            }
            if produced > 0 { return produced }
        }
    }
}

/// `read(2)` (a free function so that the name does not clash with `ByteSource.read`).
func readDescriptor(_ fd: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// `strerror` as a String.
func systemError(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
}
