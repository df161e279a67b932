import Foundation
import SigmaKit

extension Alert {
    /// The alert as one JSON object: the record of `--format jsonl|json`, with stable field names.
    public var jsonRecord: JSONRecord {
        var members: [(String, JSONRecord)] = [
            ("ruleId", .string(ruleID)),
            ("title", .string(ruleTitle)),
            ("level", .string(level.rawValue)),
            ("effectiveLevel", .string(effectiveLevel.rawValue)),
            ("status", .optional(status?.rawValue)),
            ("tags", .array(tags.map(JSONRecord.string))),
            ("tactics", .array(tactics.map(JSONRecord.string))),
            ("techniques", .array(techniques.map(JSONRecord.string))),
            ("eventTime", .string(eventTime)),
            ("eventId", .optional(eventID)),
            ("eventSource", .optional(eventSource)),
            ("eventName", .optional(eventName)),
            ("account", .optional(account)),
            ("region", .optional(region)),
            ("identity", .optional(identity)),
            ("identityType", .optional(identityType)),
            ("sourceIp", .optional(sourceIP)),
            ("userAgent", .optional(userAgent)),
            ("outcome", .string(outcome)),
            ("errorCode", .optional(errorCode)),
            ("errorMessage", .optional(errorMessage)),
            ("summary", .optional(summary)),
            ("origin", .optional(origin)),
        ]
        if !enrichment.isEmpty { members.append(("enrichment", .object(enrichment))) }
        if let correlation { members.append(("correlation", correlation.jsonRecord)) }
        if let rawEvent { members.append(("event", .raw(rawEvent))) }
        if let events = correlation?.events { members.append(("events", .array(events.map(JSONRecord.raw)))) }
        return .object(members)
    }

    /// Appends ``jsonRecord``'s compact text to `out`, byte for byte the same, without building the record first:
    /// this runs for every alert of `--format jsonl|json`, and the intermediate tree cost more than the writing.
    public func writeJSON(to out: inout [UInt8]) {
        var first = true
        func key(_ name: StaticString) {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            out.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        func string(_ name: StaticString, _ value: String) {
            key(name)
            JSONRecord.writeString(value, to: &out)
        }
        func optional(_ name: StaticString, _ value: String?) {
            key(name)
            if let value { JSONRecord.writeString(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        func strings(_ name: StaticString, _ values: [String]) {
            key(name)
            out.append(UInt8(ascii: "["))
            for (i, value) in values.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONRecord.writeString(value, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        string("ruleId", ruleID)
        string("title", ruleTitle)
        string("level", level.rawValue)
        string("effectiveLevel", effectiveLevel.rawValue)
        optional("status", status?.rawValue)
        strings("tags", tags)
        strings("tactics", tactics)
        strings("techniques", techniques)
        string("eventTime", eventTime)
        optional("eventId", eventID)
        optional("eventSource", eventSource)
        optional("eventName", eventName)
        optional("account", account)
        optional("region", region)
        optional("identity", identity)
        optional("identityType", identityType)
        optional("sourceIp", sourceIP)
        optional("userAgent", userAgent)
        string("outcome", outcome)
        optional("errorCode", errorCode)
        optional("errorMessage", errorMessage)
        optional("summary", summary)
        optional("origin", origin)
        if !enrichment.isEmpty {
            key("enrichment")
            JSONRecord.object(enrichment).write(to: &out)
        }
        if let correlation {
            key("correlation")
            correlation.jsonRecord.write(to: &out)
        }
        if let rawEvent {
            key("event")
            out.append(contentsOf: rawEvent.utf8)
        }
        if let events = correlation?.events {
            key("events")
            out.append(UInt8(ascii: "["))
            for (i, event) in events.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: event.utf8)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Column names of `--format csv`, in order.
    public static let csvColumns = [
        "eventTime", "level", "effectiveLevel", "ruleId", "title", "status", "tactics", "techniques", "eventId",
        "eventSource", "eventName", "account", "region", "identity", "sourceIp", "userAgent", "outcome", "summary",
        "origin",
    ]

    /// The values of `--format csv`, matching ``csvColumns``.
    public var csvValues: [String] {
        [
            eventTime, level.rawValue, effectiveLevel.rawValue, ruleID, ruleTitle, status?.rawValue ?? "",
            tactics.joined(separator: " "), techniques.joined(separator: " "),
            eventID ?? correlation?.eventIDs.joined(separator: " ") ?? "", eventSource ?? "",
            eventName ?? "", account ?? "", region ?? "", identity ?? "", sourceIP ?? "", userAgent ?? "", outcome,
            summary ?? "", origin ?? "",
        ]
    }
}

/// RFC 4180 CSV with formula-injection protection: a cell that a spreadsheet would evaluate (starting with
/// `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with `'` and quoted, as OWASP recommends.
public enum CSV {
    public static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",")
    }

    public static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            text = "'" + text
        }
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" } || text != value
        if needsQuotes {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }
}
