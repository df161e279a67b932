/// A small JSON value for output records (alerts, reports). Rendering is ours: it is on the output path of
/// every alert and must escape exactly per RFC 8259.
public enum JSONRecord: Sendable, Hashable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case null
    case array([JSONRecord])
    case object([(String, JSONRecord)])
    /// Already-serialised JSON text inserted as is (the raw event).
    case raw(String)

    public static func == (a: JSONRecord, b: JSONRecord) -> Bool { a.rendered() == b.rendered() }
    public func hash(into hasher: inout Hasher) { hasher.combine(rendered()) }

    /// Compact JSON text.
    public func rendered() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the compact JSON text as UTF-8 bytes (the output path of every alert: no per-character `String`
    /// work).
    public func write(to out: inout [UInt8]) {
        switch self {
        case .string(let s): JSONRecord.writeString(s, to: &out)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: (d.isFinite ? String(d) : "null").utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .raw(let text): out.append(contentsOf: text.utf8)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONRecord.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// RFC 8259 string escaping on UTF-8 bytes; U+2028/U+2029 are escaped too so the output is safe to embed
    /// in JavaScript.
    static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            var i = 0
            func flush(_ end: Int) {
                if end > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<end])) }
            }
            while i < bytes.count {
                let b = bytes[i]
                var escape: [UInt8]?
                switch b {
                case UInt8(ascii: "\""): escape = Array("\\\"".utf8)
                case UInt8(ascii: "\\"): escape = Array("\\\\".utf8)
                case 0x0A: escape = Array("\\n".utf8)
                case 0x0D: escape = Array("\\r".utf8)
                case 0x09: escape = Array("\\t".utf8)
                case 0..<0x20:
                    let hex = String(b, radix: 16)
                    escape = Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80
                    && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    flush(i)
                    out.append(contentsOf: (bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                    i += 3
                    runStart = i
                    continue
                default:
                    break
                }
                if let escape {
                    flush(i)
                    out.append(contentsOf: escape)
                    runStart = i + 1
                }
                i += 1
            }
            flush(bytes.count)
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONRecord {
    /// `.string` or `.null`.
    static func optional(_ s: String?) -> JSONRecord { s.map(JSONRecord.string) ?? .null }
}
