import CloudTrail
import TrailwatchKit

/// JSON shown to people: the raw event pretty-printed, and the enrichment as tables. Parsed with CloudTrail's
/// scanner, so key order is the event's own.
enum JSONRendering {
    /// The JSON text indented by two spaces per level (source key order), nil when `text` is not JSON.
    static func pretty(_ text: String) -> String? {
        try? JSONScanner().parse(text) { root in
            var out = ""
            write(root, indent: 0, to: &out)
            return out
        }
    }

    private static func write(_ value: JSONValue, indent: Int, to out: inout String) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closePad = String(repeating: "  ", count: indent)
        switch value.kind {
        case .object:
            guard value.count > 0 else {
                out += "{}"
                return
            }
            out += "{\n"
            var first = true
            value.forEachMember { key, member in
                if !first { out += ",\n" }
                first = false
                out += pad + JSONRecord.string(key.string ?? "").rendered() + ": "
                write(member, indent: indent + 1, to: &out)
            }
            out += "\n" + closePad + "}"
        case .array:
            guard value.count > 0 else {
                out += "[]"
                return
            }
            out += "[\n"
            var first = true
            value.forEachElement { element in
                if !first { out += ",\n" }
                first = false
                out += pad
                write(element, indent: indent + 1, to: &out)
            }
            out += "\n" + closePad + "]"
        case .string:
            out += JSONRecord.string(value.string ?? "").rendered()
        case .number, .bool:
            out += value.text
        case .null:
            out += "null"
        }
    }

    /// The enrichment object as HTML: one section per enricher, its fields as a key/value table and lists of
    /// objects as a grid. Every text is escaped. Nil when there is no enrichment.
    static func enrichmentHTML(_ text: String) -> String? {
        let html = try? JSONScanner().parse(text) { root -> String in
            guard root.kind == .object, root.count > 0 else { return "" }
            var out = ""
            root.forEachMember { key, value in
                out += "<h3 class=\"small\">" + HTML.escape(label(key.string ?? "")) + "</h3>"
                out += block(value)
            }
            return out
        }
        return html.flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func block(_ value: JSONValue) -> String {
        switch value.kind {
        case .object:
            var rows = ""
            value.forEachMember { key, member in
                rows += "<tr><th scope=\"row\">" + HTML.escape(label(key.string ?? "")) + "</th><td>"
                    + block(member) + "</td></tr>"
            }
            return "<table class=\"kv\">" + rows + "</table>"
        case .array:
            var objects: [[(String, String)]] = []
            var scalars: [String] = []
            value.forEachElement { element in
                if element.kind == .object {
                    var fields: [(String, String)] = []
                    element.forEachMember { key, member in fields.append((key.string ?? "", block(member))) }
                    objects.append(fields)
                } else {
                    scalars.append(block(element))
                }
            }
            if objects.isEmpty { return scalars.isEmpty ? "-" : scalars.joined(separator: ", ") }
            var columns: [String] = []
            for fields in objects {
                for (key, _) in fields where !columns.contains(key) { columns.append(key) }
            }
            var out = "<div class=\"scroll\"><table class=\"grid\"><thead><tr>"
            out += columns.map { "<th>" + HTML.escape(label($0)) + "</th>" }.joined() + "</tr></thead><tbody>"
            for fields in objects {
                out += "<tr>" + columns.map { column in
                    "<td>" + (fields.first { $0.0 == column }?.1 ?? "") + "</td>"
                }.joined() + "</tr>"
            }
            return out + "</tbody></table></div>" + (scalars.isEmpty ? "" : "<p>" + scalars.joined(separator: ", ") + "</p>")
        case .bool:
            return value.bool == true ? "yes" : "no"
        case .null:
            return "-"
        case .string, .number:
            return HTML.escape(value.text)
        }
    }

    /// `opensSensitivePortToInternet` → `Opens sensitive port to internet`; `groupId` → `Group ID`.
    static func label(_ key: String) -> String {
        var words: [String] = []
        var current = ""
        for character in key {
            if character.isUppercase && !current.isEmpty && !(current.last?.isUppercase ?? false) {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        let mapped = words.enumerated().map { index, word -> String in
            let lower = word.lowercased()
            if ["id", "ip", "arn", "sg"].contains(lower) { return lower.uppercased() }
            return index == 0 ? lower.prefix(1).uppercased() + lower.dropFirst() : lower
        }
        return mapped.joined(separator: " ")
    }
}
