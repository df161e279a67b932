#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libdeflate, loaded at run time when the system has it (Debian's `libdeflate0`): it inflates whole gzip files
/// about twice as fast as zlib. It is optional by design — the package builds and runs without it, and zlib's
/// streaming path stays the reference: any file libdeflate does not decode cleanly (corrupt, truncated, too large,
/// over the ratio guard) is read again with zlib, which reports the exact error and keeps every byte before it.
final class Libdeflate: @unchecked Sendable {
    typealias Alloc = @convention(c) () -> OpaquePointer?
    typealias Free = @convention(c) (OpaquePointer?) -> Void
    typealias GzipDecompressEx = @convention(c) (
        OpaquePointer?, UnsafeRawPointer?, Int, UnsafeMutableRawPointer?, Int, UnsafeMutablePointer<Int>?,
        UnsafeMutablePointer<Int>?
    ) -> Int32

    let alloc: Alloc
    let free: Free
    let gzipDecompressEx: GzipDecompressEx

    /// The library, or nil when it is not installed (or `TRAILWATCH_NO_LIBDEFLATE` is set, to measure zlib alone).
    static let shared: Libdeflate? = {
        if getenv("TRAILWATCH_NO_LIBDEFLATE") != nil { return nil }
        for name in ["libdeflate.so.0", "libdeflate.so", "libdeflate.0.dylib", "libdeflate.dylib"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let a = dlsym(handle, "libdeflate_alloc_decompressor"),
                let f = dlsym(handle, "libdeflate_free_decompressor"),
                let g = dlsym(handle, "libdeflate_gzip_decompress_ex")
            else { continue }
            return Libdeflate(
                alloc: unsafeBitCast(a, to: Alloc.self), free: unsafeBitCast(f, to: Free.self),
                gzipDecompressEx: unsafeBitCast(g, to: GzipDecompressEx.self))
        }
        return nil
    }()

    private init(alloc: @escaping Alloc, free: @escaping Free, gzipDecompressEx: @escaping GzipDecompressEx) {
        self.alloc = alloc
        self.free = free
        self.gzipDecompressEx = gzipDecompressEx
    }
}

/// One worker's libdeflate state and buffers, reused from file to file.
final class FastGzip {
    /// Compressed files larger than this are streamed through zlib (bounded memory for huge inputs).
    static let maxCompressedBytes = 32 << 20

    private let library: Libdeflate
    private let decompressor: OpaquePointer
    private(set) var compressed: UnsafeMutablePointer<UInt8>
    private var compressedCapacity: Int
    private(set) var output: UnsafeMutablePointer<UInt8>
    private var outputCapacity: Int

    /// Nil when libdeflate is not available.
    init?() {
        guard let library = Libdeflate.shared, let decompressor = library.alloc() else { return nil }
        self.library = library
        self.decompressor = decompressor
        compressedCapacity = 256 << 10
        compressed = .allocate(capacity: compressedCapacity)
        outputCapacity = 2 << 20
        output = .allocate(capacity: outputCapacity)
    }

    deinit {
        library.free(decompressor)
        compressed.deallocate()
        output.deallocate()
    }

    /// What reading the whole compressed input gave.
    enum Slurp {
        /// All of it is in `compressed[0..<count]`.
        case complete(count: Int)
        /// More than ``maxCompressedBytes``: `compressed[0..<count]` was read, the rest is still in the source.
        case tooLarge(count: Int)
    }

    /// Makes room for `count` compressed bytes at once (a file whose size is known is read in one call).
    func reserveCompressed(_ count: Int) {
        if count > compressedCapacity && count <= FastGzip.maxCompressedBytes {
            grow(&compressed, &compressedCapacity, keeping: 0, to: count)
        }
    }

    /// Reads the whole source into ``compressed``.
    func slurp<S: ByteSource>(_ source: inout S) throws(InputIssue) -> Slurp {
        var count = 0
        while true {
            if count == compressedCapacity {
                if compressedCapacity >= FastGzip.maxCompressedBytes { return .tooLarge(count: count) }
                grow(&compressed, &compressedCapacity, keeping: count, to: compressedCapacity * 2)
            }
            let n = try source.read(into: compressed + count, count: compressedCapacity - count)
            if n == 0 { return .complete(count: count) }
            count += n
        }
    }

    /// Inflates every gzip member of `compressed[0..<count]` into ``output``; the output size, or nil when
    /// libdeflate refuses (corrupt or truncated data, or more than `maxOutput` bytes): the caller then streams
    /// the same bytes through zlib for the precise diagnosis.
    func inflate(count: Int, maxOutput: Int) -> Int? {
        // The last 4 bytes hold the last member's size mod 2^32: a good first guess for one-member files.
        if count >= 18 {
            let trailer = Int(compressed[count - 4]) | Int(compressed[count - 3]) << 8
                | Int(compressed[count - 2]) << 16 | Int(compressed[count - 1]) << 24
            if trailer > outputCapacity && trailer <= maxOutput {
                grow(&output, &outputCapacity, keeping: 0, to: trailer)
            }
        }
        var inOffset = 0
        var outOffset = 0
        while inOffset < count {
            var consumed = 0
            var produced = 0
            let rc = library.gzipDecompressEx(
                decompressor, compressed + inOffset, count - inOffset, output + outOffset, outputCapacity - outOffset,
                &consumed, &produced)
            switch rc {
            case 0:
                inOffset += consumed
                outOffset += produced
                // Trailing zero padding after the last member is tolerated by zlib's reader too.
                if compressed[inOffset..<count].allSatisfy({ $0 == 0 }) { return outOffset }
            case 3:  // LIBDEFLATE_INSUFFICIENT_SPACE
                guard outputCapacity < maxOutput else { return nil }
                grow(&output, &outputCapacity, keeping: outOffset, to: min(maxOutput, outputCapacity * 2))
            default:
                return nil
            }
        }
        return outOffset
    }

    private func grow(
        _ buffer: inout UnsafeMutablePointer<UInt8>, _ capacity: inout Int, keeping count: Int, to newCapacity: Int
    ) {
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        larger.update(from: buffer, count: count)
        buffer.deallocate()
        buffer = larger
        capacity = newCapacity
    }
}

extension UnsafeMutablePointer where Pointee == UInt8 {
    fileprivate subscript(range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: self + range.lowerBound, count: range.count)
    }
}
