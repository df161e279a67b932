/// HTML text helpers for the few fragments built in Swift (the rest is escaped by the Mustache templates).
enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'`: safe in element content and in quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// True for a link target a page may point to: http(s), mailto, or a relative link without a scheme.
    static func isSafeURL(_ url: String) -> Bool {
        let trimmed = url.drop { $0.isWhitespace }
        guard let colon = trimmed.firstIndex(of: ":") else { return true }
        // A colon after the first `/`, `?` or `#` is not a scheme separator (`/a:b`, `?t=1:2`).
        if let boundary = trimmed.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }), boundary < colon {
            return true
        }
        let scheme = trimmed[..<colon].lowercased()
        return scheme == "http" || scheme == "https" || scheme == "mailto"
    }

    /// True for an absolute http(s) URL (a rule's `references` entry worth a link).
    static func isWebURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && !text.contains(where: \.isWhitespace)
    }

    /// The YAML of a detection with keys and list markers marked up (`<span class="k">selection:</span>`),
    /// every piece escaped.
    static func highlightYAML(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let indent = line.prefix { $0 == " " }
            var rest = line.dropFirst(indent.count)
            var out = String(indent)
            if rest.hasPrefix("- ") {
                out += "<span class=\"m\">-</span> "
                rest = rest.dropFirst(2)
            }
            if rest.hasPrefix("#") { return out + "<span class=\"c\">" + escape(String(rest)) + "</span>" }
            // A key is `name:` followed by the end of line or a space; quoted values are not keys.
            if let colon = keyColon(in: rest) {
                let key = rest[...colon]
                let value = rest[rest.index(after: colon)...]
                out += "<span class=\"k\">" + escape(String(key)) + "</span>"
                if !value.isEmpty { out += "<span class=\"v\">" + escape(String(value)) + "</span>" }
                return out
            }
            return out + (rest.isEmpty ? "" : "<span class=\"v\">" + escape(String(rest)) + "</span>")
        }.joined(separator: "\n")
    }

    private static func keyColon(in text: Substring) -> Substring.Index? {
        guard let first = text.first, first != "'" && first != "\"" else { return nil }
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == ":" {
                let next = text.index(after: index)
                if next == text.endIndex || text[next] == " " { return index }
            }
            index = text.index(after: index)
        }
        return nil
    }
}
