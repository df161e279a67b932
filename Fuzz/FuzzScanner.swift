// libFuzzer entry point over the scanner, the event accessors and the streaming record reader.
// Built by Fuzz/build.sh together with Sources/CloudTrail (same module, so internal API is reachable).
import SigmaKit

nonisolated(unsafe) private let scanner = JSONScanner(limits: JSONLimits(maxDepth: 64, maxDocumentBytes: 1 << 20))
private let limits = InputOptions(paths: [], maxDocumentBytes: 4096, maxDepth: 64, inflateGraceBytes: 1 << 16)
nonisolated(unsafe) private let whole = RecordExtractor(options: limits)
nonisolated(unsafe) private let streamed = RecordExtractor(options: limits)
private let paths = ["eventName", "a", "a.b", "requestParameters.items.x", "Records", "", ".", "a..b", "x.y.z"]
    .map { FieldPath($0) }

private func check(_ condition: Bool, _ message: String) {
    if !condition { fatalError("fuzz invariant violated: \(message)") }
}

/// Touches every value of a document: text, decoding, compact rendering, lookups.
private func exercise(_ value: JSONValue) -> Int {
    var total = 0
    value.withTextBytes { total &+= $0.count }
    switch value.kind {
    case .object:
        value.forEachMember { key, member in
            total &+= key.string?.utf8.count ?? 0
            total &+= exercise(member)
        }
        _ = value["eventName"]
    case .array:
        value.forEachElement { total &+= exercise($0) }
    case .string:
        _ = value.stringEquals("abc", caseInsensitive: true)
    default:
        break
    }
    return total
}

private func hasEscapes(_ value: JSONValue) -> Bool {
    var found = value.hasEscapes
    value.forEachMember { key, member in found = found || key.hasEscapes || hasEscapes(member) }
    value.forEachElement { found = found || hasEscapes($0) }
    return found
}

private func exercise(_ event: borrowing CloudTrailEvent) -> Int {
    var total = 0
    for path in paths {
        _ = event.anyValue(at: path) { total &+= $0.bytes.count; return false }
        _ = event.presence(of: path)
    }
    _ = event.anyLeaf { total &+= $0.bytes.count; return false }
    _ = event.eventTimeMilliseconds
    return total
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    // 1. One document: validate, walk, and check that compact text re-parses to itself when it is JSON.
    var rendered: [UInt8]?
    _ = try? scanner.parse(bytes) { root -> Int in
        let isContainer = root.kind == .object || root.kind == .array
        if isContainer && !hasEscapes(root) { root.withTextBytes { rendered = Array($0) } }
        return exercise(root)
    }
    if let rendered {
        let again = try? scanner.parse(rendered) { root in root.withTextBytes { Array($0) } }
        check(again == rendered, "compact text of an escape-free document must be a fixed point")
    }
    // 2. Records: the same input read whole and in tiny pieces must give the same records and issues.
    var offsetsWhole: [Int] = []
    var offsetsStreamed: [Int] = []
    var sink = 0
    let a = whole.read(bytes, readSize: 1 << 20) { event in
        offsetsWhole.append(event.byteOffset)
        sink &+= exercise(event)
    }
    let pieces = size > 0 ? 1 + Int(bytes[0] % 13) : 1
    let b = streamed.read(bytes, readSize: pieces) { event in offsetsStreamed.append(event.byteOffset) }
    // The ratio guard is checked as output is produced, so where it trips depends on the read size.
    if a.error?.code == .inflateRatio || b.error?.code == .inflateRatio { return 0 }
    let detail = "\(a.counts) \(String(describing: a.error)) vs \(b.counts) \(String(describing: b.error))"
    check(offsetsWhole == offsetsStreamed, "records differ between whole and streamed reads: \(detail)")
    check(a.counts == b.counts, "counts differ between whole and streamed reads: \(detail)")
    check(a.issues.map(\.byteOffset) == b.issues.map(\.byteOffset), "issue offsets differ: \(a.issues) vs \(b.issues)")
    check(a.issues.map(\.line) == b.issues.map(\.line), "issue lines differ")
    return sink == Int.min ? 1 : 0
}
