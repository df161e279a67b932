import SigmaKit

/// A JSON value with object keys in source order, for engine tests that must not depend on the CloudTrail module.
indirect enum TestJSON: Equatable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([TestJSON])
    case object([(String, TestJSON)])

    static func == (a: TestJSON, b: TestJSON) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)), (.number(let x), .number(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x.count == y.count && zip(x, y).allSatisfy { $0 == $1 }
        default: return false
        }
    }

    /// Compact rendering of decision D1: source key order, strings unescaped between their quotes.
    var d1Text: String {
        switch self {
        case .string(let s): return "\"\(s)\""
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let items): return "[" + items.map(\.d1Text).joined(separator: ",") + "]"
        case .object(let members): return "{" + members.map { "\"\($0.0)\":\($0.1.d1Text)" }.joined(separator: ",") + "}"
        }
    }
}

/// A minimal order-preserving JSON parser for test fixtures (not for production input).
struct TestJSONParser {
    private let bytes: [UInt8]
    private var i = 0

    static func parse(_ text: String) throws -> TestJSON {
        var parser = TestJSONParser(bytes: Array(text.utf8))
        let value = try parser.value()
        parser.skipSpace()
        guard parser.i == parser.bytes.count else { throw ParseError(offset: parser.i) }
        return value
    }

    struct ParseError: Error { let offset: Int }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
    }

    private mutating func value() throws -> TestJSON {
        skipSpace()
        guard i < bytes.count else { throw ParseError(offset: i) }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [(String, TestJSON)] = []
            skipSpace()
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard case .string(let key) = try value() else { throw ParseError(offset: i) }
                skipSpace()
                guard bytes[i] == UInt8(ascii: ":") else { throw ParseError(offset: i) }
                i += 1
                members.append((key, try value()))
                skipSpace()
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                guard bytes[i] == UInt8(ascii: "}") else { throw ParseError(offset: i) }
                i += 1
                return .object(members)
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [TestJSON] = []
            skipSpace()
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                items.append(try value())
                skipSpace()
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                guard bytes[i] == UInt8(ascii: "]") else { throw ParseError(offset: i) }
                i += 1
                return .array(items)
            }
        case UInt8(ascii: "\""):
            i += 1
            var out: [UInt8] = []
            while bytes[i] != UInt8(ascii: "\"") {
                if bytes[i] == UInt8(ascii: "\\") {
                    i += 1
                    switch bytes[i] {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        let hex = String(decoding: bytes[(i + 1)...(i + 4)], as: UTF8.self)
                        guard let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                            throw ParseError(offset: i)
                        }
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                        i += 4
                    default: out.append(bytes[i])
                    }
                } else {
                    out.append(bytes[i])
                }
                i += 1
            }
            i += 1
            return .string(String(decoding: out, as: UTF8.self))
        case UInt8(ascii: "t"):
            i += 4
            return .bool(true)
        case UInt8(ascii: "f"):
            i += 5
            return .bool(false)
        case UInt8(ascii: "n"):
            i += 4
            return .null
        default:
            let start = i
            while i < bytes.count, "-+.eE0123456789".utf8.contains(bytes[i]) { i += 1 }
            guard i > start else { throw ParseError(offset: i) }
            return .number(String(decoding: bytes[start..<i], as: UTF8.self))
        }
    }
}

/// A ``SigmaEvent`` over ``TestJSON``, implementing EV-01/EV-02/D1/D2 straightforwardly so engine tests check
/// the matcher's semantics independently of the CloudTrail scanner.
struct TestEvent: SigmaEvent {
    let root: TestJSON

    init(_ json: String) throws { root = try TestJSONParser.parse(json) }

    private func lookup(_ path: FieldPath) -> [TestJSON] {
        guard case .object(let members) = root else { return [] }
        if let literal = members.first(where: { $0.0 == path.name }) { return [literal.1] }
        var current: [TestJSON] = [root]
        for component in path.components.map({ String(decoding: $0, as: UTF8.self) }) {
            var next: [TestJSON] = []
            func descend(_ value: TestJSON) {
                switch value {
                case .object(let members):
                    if let hit = members.first(where: { $0.0 == component }) { next.append(hit.1) }
                case .array(let items):
                    items.forEach(descend)
                default:
                    break
                }
            }
            current.forEach(descend)
            current = next
        }
        return current
    }

    private func visit(_ value: TestJSON, _ body: (FieldValue) -> Bool) -> Bool {
        func emit(_ kind: FieldValueKind, _ text: String) -> Bool {
            var bytes = Array(text.utf8)
            return bytes.withUnsafeMutableBufferPointer { body(FieldValue(kind: kind, bytes: UnsafeBufferPointer($0))) }
        }
        switch value {
        case .string(let s): return emit(.string, s)
        case .number(let n): return emit(.number, n)
        case .bool(let b): return emit(.bool, b ? "true" : "false")
        case .null: return emit(.null, "")
        case .object: return emit(.object, value.d1Text)
        case .array(let items):
            for item in items where visit(item, body) { return true }
            return false
        }
    }

    func anyValue(at path: FieldPath, where body: (FieldValue) -> Bool) -> Bool {
        for value in lookup(path) where visit(value, body) { return true }
        return false
    }

    func presence(of path: FieldPath) -> FieldPresence {
        let values = lookup(path)
        if values.isEmpty { return .missing }
        return values.allSatisfy { $0 == .null } ? .null : .present
    }

    func anyLeaf(where body: (FieldValue) -> Bool) -> Bool {
        func walk(_ value: TestJSON) -> Bool {
            switch value {
            case .object(let members): return members.contains { walk($0.1) }
            case .array(let items): return items.contains(where: walk)
            case .null: return false
            default: return visit(value, body)
            }
        }
        return walk(root)
    }
}
