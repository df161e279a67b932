import Foundation
import SigmaKit

extension CatalogPage {
    /// The rule's `detection:` section (selections and condition) as the seed page's *Detection Query* shows
    /// it: from column 0, indented by two spaces per level, and plain values without their quotes.
    ///
    /// Only presentation changes: comments stay, and a value keeps its quotes unless it is a plain word-like
    /// string that YAML would read the same without them.
    public var detectionQueryText: String {
        let lines = detectionQuery().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let indents = lines.compactMap { line -> Int? in
            line.allSatisfy { $0 == " " } ? nil : line.prefix { $0 == " " }.count
        }
        let base = indents.min() ?? 0
        // The indentation step the rule's author used (2 or 4 spaces usually), rescaled to 2.
        let step = indents.map { $0 - base }.filter { $0 > 0 }.min() ?? 2
        return lines.map { line -> String in
            let indent = line.prefix { $0 == " " }.count
            guard indent < line.count else { return "" }
            let level = (indent - base) / step
            let extra = (indent - base) % step
            return String(repeating: " ", count: level * 2 + extra) + DetectionQueryText.unquote(line.dropFirst(indent))
        }.joined(separator: "\n").trimmingTrailingNewlines()
    }
}

/// Helpers of ``CatalogPage/detectionQueryText``.
enum DetectionQueryText {
    /// `eventSource: 'ec2.amazonaws.com'` → `eventSource: ec2.amazonaws.com`; `- 'Revoke'` → `- Revoke`.
    static func unquote(_ line: Substring) -> String {
        var prefix = ""
        var rest = line
        if rest.hasPrefix("- ") {
            prefix = "- "
            rest = rest.dropFirst(2)
        }
        if let colon = rest.range(of: ": "), !rest.hasPrefix("'"), !rest.hasPrefix("\"") {
            prefix += rest[..<colon.upperBound]
            rest = rest[colon.upperBound...]
        }
        guard let quote = rest.first, quote == "'" || quote == "\"", rest.count >= 2, rest.last == quote else {
            return String(line)
        }
        let inner = rest.dropFirst().dropLast()
        guard isPlain(inner) else { return String(line) }
        return prefix + inner
    }

    /// True when YAML would read `text` unquoted as the same string.
    static func isPlain(_ text: Substring) -> Bool {
        guard let first = text.first, let last = text.last else { return false }
        let allowed = text.allSatisfy { $0.isLetter || $0.isNumber || "._-/@".contains($0) }
        let special = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"]
        return allowed && (first.isLetter || first == "/") && last != ":"
            && !special.contains(text.lowercased()) && Double(text) == nil && Int(text) == nil
    }
}
