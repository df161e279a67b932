// Release benchmark of the CloudTrail reader on one core (built by run.sh in the same module as
// Sources/CloudTrail, so internal pieces such as the gzip source can be timed alone).
#if canImport(Glibc)
import Glibc
#endif
import SigmaKit

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// CPU time of this process (all threads): robust against other load on a shared machine.
func cpuNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func fail(_ message: String) -> Never {
    print("bench: \(message)")
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: bench-cloudtrail CORPUS [ROUNDS] [--parallel]") }
let corpus = arguments[1]
let rounds = arguments.count >= 3 ? Int(arguments[2]) ?? 5 : 5

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

if arguments.contains("--parallel") {
    // The public API end to end: walk, read, inflate, scan, filters, deduplication, on every core.
    var options = InputOptions(paths: [corpus])
    if let workers = getenv("BENCH_WORKERS").flatMap({ Int(String(cString: $0)) }) { options.workers = workers }
    if getenv("BENCH_NODEDUP") != nil { options.deduplicate = false }
    let walkStart = now()
    var walker = InputWalker(options: options)
    walker.walk()
    print("walk: \(walker.items.count) files in \(String(format: "%.3f", now() - walkStart)) s")
    var bestSeconds = Double.infinity
    var bestCPU = Double.infinity
    var report = InputReport()
    for _ in 0..<rounds {
        let start = now()
        let cpuStart = cpuNow()
        let result = getenv("BENCH_SYNC") != nil
            ? InputDriver(options: options).run(makeState: { 0 }) { count, _ in count += 1 }
            : try await readRecords(options: options, makeState: { 0 }) { count, _ in count += 1 }
        bestSeconds = min(bestSeconds, now() - start)
        bestCPU = min(bestCPU, cpuNow() - cpuStart)
        report = result.report
    }
    if getenv("BENCH_SHOW_ISSUES") != nil {
        for input in report.inputs {
            print("input \(input.path): \(input.counts), format \(input.format), error: "
                  + "\(input.error?.description ?? "none")")
            for issue in input.issues { print("  issue: \(issue)") }
        }
    }
    let totals = report.totals
    print("readRecords, \(options.workers) workers, best of \(rounds): \(String(format: "%.3f", bestSeconds)) s wall, "
          + "\(String(format: "%.3f", bestCPU)) s CPU, "
          + "\(String(format: "%.0f", Double(totals.records) / bestSeconds)) records/s, "
          + "records \(totals.records), accepted \(totals.accepted), duplicates \(totals.duplicates), "
          + "peak RSS \(String(format: "%.0f", peakRSSMegabytes())) MB")
    exit(0)
}

var walker = InputWalker(options: InputOptions(paths: [corpus]))
walker.walk()
let files = walker.items.map(\.path)
guard !files.isEmpty else { fail("no input under \(corpus)") }

/// Reads a file through the same sources as the reader; `sink` gets every decompressed chunk.
let inflater = Inflater()
let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 20)
func inflateOnly(_ path: String) -> Int {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { fail("cannot open \(path)") }
    defer { close(fd) }
    var file = FileSource(fd: fd, path: path, offset: 0, seekable: true)
    var total = 0
    do {
        let n = try file.read(into: inflater.input, count: 2)
        if n == 2 && inflater.input[0] == 0x1F && inflater.input[1] == 0x8B {
            let head = UnsafeMutablePointer<UInt8>.allocate(capacity: 2)
            defer { head.deallocate() }
            head.initialize(from: inflater.input, count: 2)
            let prefixed = PrefixedSource(prefix: UnsafeBufferPointer(start: head, count: 2), base: file)
            var gzip = try GzipSource(base: prefixed,
                                      inflater: inflater, path: path, maxRatio: 200, ratioGraceBytes: 16 << 20)
            while true {
                let m = try gzip.read(into: scratch, count: 1 << 20)
                if m == 0 { break }
                total += m
            }
        } else {
            total = n
            while true {
                let m = try file.read(into: scratch, count: 1 << 20)
                if m == 0 { break }
                total += m
            }
        }
    } catch {
        fail("\(error)")
    }
    return total
}

// Decompressed bytes of every file, kept in memory for the scanner-only measurement.
var documents: [[UInt8]] = []
var jsonBytes = 0
for path in files {
    var bytes: [UInt8] = []
    let extractor = RecordExtractor()
    _ = extractor
    let fd = open(path, O_RDONLY)
    var file = FileSource(fd: fd, path: path, offset: 0, seekable: true)
    let head = UnsafeMutablePointer<UInt8>.allocate(capacity: 2)
    let n = (try? file.read(into: head, count: 2)) ?? 0
    let prefixed = PrefixedSource(prefix: UnsafeBufferPointer(start: head, count: n), base: file)
    if n == 2 && head[0] == 0x1F && head[1] == 0x8B {
        guard var gzip = try? GzipSource(base: prefixed, inflater: inflater, path: path, maxRatio: 200,
                                         ratioGraceBytes: 16 << 20) else { fail("gzip \(path)") }
        while let m = try? gzip.read(into: scratch, count: 1 << 20), m > 0 {
            bytes.append(contentsOf: UnsafeBufferPointer(start: scratch, count: m))
        }
    } else {
        var plain = prefixed
        while let m = try? plain.read(into: scratch, count: 1 << 20), m > 0 {
            bytes.append(contentsOf: UnsafeBufferPointer(start: scratch, count: m))
        }
    }
    close(fd)
    head.deallocate()
    jsonBytes += bytes.count
    documents.append(bytes)
}
let compressedBytes = files.reduce(0) { total, path in
    var st = stat()
    return total + (stat(path, &st) == 0 ? Int(st.st_size) : 0)
}

let scanner = JSONScanner()
var best: [String: Double] = [:]
var bestCPU: [String: Double] = [:]
var checks: [String: Int] = [:]
func measure(_ name: String, _ body: () -> Int) {
    let start = now()
    let cpuStart = cpuNow()
    let result = body()
    let elapsed = now() - start
    best[name] = min(best[name] ?? .infinity, elapsed)
    bestCPU[name] = min(bestCPU[name] ?? .infinity, cpuNow() - cpuStart)
    checks[name] = result
}

let reader = RecordReader(limits: JSONLimits(), maxIssues: 20)
let eventName = FieldPath("eventName")
for _ in 0..<rounds {
    // Interleaved, so that drift on a shared machine hits every measurement alike.
    measure("scan only (in memory, whole documents)") {
        var tokens = 0
        for document in documents {
            document.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                if case .complete = scanner.scanValue(base, from: 0, to: buffer.count, isFinal: true) {
                    tokens += scanner.count
                }
            }
        }
        return tokens
    }
    measure("records from memory (split + scan + events)") {
        var records = 0
        let extractor = RecordExtractor()
        for document in documents {
            _ = extractor.read(document) { _ in records += 1 }
        }
        return records
    }
    measure("read + inflate only") {
        var total = 0
        for path in files { total += inflateOnly(path) }
        return total
    }
    measure("read + inflate + scan (records)") {
        var records = 0
        for path in files {
            let fd = open(path, O_RDONLY)
            reader.readDescriptor(fd: fd, seekable: true, path: path, maxInflateRatio: 200,
                                  inflateGraceBytes: 16 << 20) { _ in records += 1 }
            close(fd)
        }
        return records
    }
    measure("read + inflate + scan + eventName lookup") {
        var hits = 0
        for path in files {
            let fd = open(path, O_RDONLY)
            reader.readDescriptor(fd: fd, seekable: true, path: path, maxInflateRatio: 200,
                                  inflateGraceBytes: 16 << 20) { event in
                if event.anyValue(at: eventName, where: { $0.bytes.count == 29 }) { hits += 1 }
            }
            close(fd)
        }
        return hits
    }
}

let mb = Double(jsonBytes) / 1e6
print("corpus: \(corpus)")
print("files: \(files.count), JSON: \(String(format: "%.1f", mb)) MB, compressed: "
      + "\(String(format: "%.1f", Double(compressedBytes) / 1e6)) MB, "
      + "records: \(checks["read + inflate + scan (records)"] ?? 0)")
print("best of \(rounds) rounds, one core (CPU time; wall time in brackets):")
for name in ["scan only (in memory, whole documents)", "records from memory (split + scan + events)",
             "read + inflate only", "read + inflate + scan (records)", "read + inflate + scan + eventName lookup"] {
    let cpu = bestCPU[name] ?? 0
    let wall = best[name] ?? 0
    print("  \(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(String(format: "%7.3f", cpu)) s "
          + "\(String(format: "%6.0f", mb / cpu)) MB/s of JSON  [\(String(format: "%.3f", wall)) s]")
}
let inflateSeconds = bestCPU["read + inflate only"] ?? 1
let fullSeconds = bestCPU["read + inflate + scan (records)"] ?? 1
print(String(format: "ratio (read + inflate + scan) / (read + inflate only): %.2f (CPU), %.2f (wall)",
             fullSeconds / inflateSeconds,
             (best["read + inflate + scan (records)"] ?? 1) / (best["read + inflate only"] ?? 1)))
