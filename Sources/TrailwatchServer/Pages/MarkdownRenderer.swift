import Foundation
import Ink

/// Markdown → HTML for the detections' long-form documentation (Ink), made safe to embed: raw HTML in the
/// Markdown is shown as text, links keep only http(s), mailto and relative targets, images are shown as their
/// Markdown text, and code blocks lose the language class (copied unescaped by Ink).
public enum MarkdownRenderer {
    /// The HTML of `markdown`, safe to embed in a page.
    public static func render(_ markdown: String) -> String {
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .html) { input in HTML.escape(String(input.markdown)) })
        parser.addModifier(Modifier(target: .links) { input in safeLink(input.html) })
        parser.addModifier(Modifier(target: .images) { input in HTML.escape(String(input.markdown)) })
        parser.addModifier(Modifier(target: .codeBlocks) { input in codeBlock(input.html) })
        return parser.html(from: normalize(markdown))
    }

    /// Rebuilds `<a href="URL">TITLE</a>` with an escaped, checked URL. The title is Ink's rendering (escaped
    /// text and Ink's own inline tags, which never contain `">`), so the last `">` ends the URL.
    static func safeLink(_ html: String) -> String {
        let prefix = "<a href=\""
        guard html.hasPrefix(prefix), html.hasSuffix("</a>"), let end = html.range(of: "\">", options: .backwards)
        else { return HTML.escape(html) }
        let url = String(html[html.index(html.startIndex, offsetBy: prefix.count)..<end.lowerBound])
        let title = String(html[end.upperBound..<html.index(html.endIndex, offsetBy: -4)])
        guard HTML.isSafeURL(url) else { return title }
        return "<a href=\"\(HTML.escape(url))\" rel=\"noopener noreferrer\">\(title)</a>"
    }

    /// Ink's `<pre><code class="language-…">` with the class dropped: the language name is copied unescaped
    /// from the fence line. The code itself is escaped by Ink (`<`, `>`, `&`).
    static func codeBlock(_ html: String) -> String {
        guard html.hasPrefix("<pre><code"), let end = html.firstIndex(of: ">").flatMap({ first in
            html[html.index(after: first)...].firstIndex(of: ">")
        }) else { return HTML.escape(html) }
        return "<pre><code>" + html[html.index(after: end)...]
    }

    /// Works around two Ink limits, outside fenced code: a paragraph line starting with a backtick ends the
    /// paragraph (the line is joined to the previous one instead), and a fenced block indented inside a list
    /// item is not recognised (it is moved to column 0, between blank lines).
    static func normalize(_ markdown: String) -> String {
        var out: [String] = []
        var fence: (marker: String, indent: Int)?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let indent = line.prefix { $0 == " " }.count
            let trimmed = line.dropFirst(indent)
            if let open = fence {
                let body = String(line.dropFirst(min(indent, open.indent)))
                out.append(body)
                if trimmed.hasPrefix(open.marker) && trimmed.trimmingCharacters(in: .whitespaces) == open.marker {
                    fence = nil
                    if open.indent > 0 { out.append("") }
                }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                let marker = String(trimmed.prefix { $0 == trimmed.first })
                fence = (marker, indent)
                if indent > 0 { out.append("") }
                out.append(String(trimmed))
                continue
            }
            if indent == 0, line.hasPrefix("`"), let previous = out.last, isParagraphText(previous) {
                out[out.count - 1] = previous + " " + line
                continue
            }
            out.append(line)
        }
        return out.joined(separator: "\n")
    }

    private static func isParagraphText(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first else { return false }
        return !["#", "|", ">", "`", "~"].contains(first) && !trimmed.hasPrefix("---")
    }
}
