/// One YAML document of a file, cut out of the file's text so that each document is parsed on its own:
/// a syntax error or a duplicate key then rejects only its own document (Y-01).
struct YAMLDocumentSource: Sendable {
    /// 0-based index of the document in the file (empty documents included).
    var index: Int
    /// The text handed to the YAML parser (may include a leading `---` line).
    var text: String
    /// 1-based file line of the first line of `text`.
    var firstLine: Int
    /// The document's own text for display: `text` without its bare `---` / `...` marker lines.
    var rawText: String
    /// 1-based file line of the first line of `rawText`.
    var rawFirstLine: Int
    /// True when the document holds nothing but blank lines, comments, directives and markers.
    var isEmpty: Bool
}

/// Splits a YAML stream at its document markers. A line that starts with `---` (followed by a space, a tab
/// or the end of the line) starts a document, a line `...` ends one. YAML gives these markers their meaning
/// at column 0 in every context (even inside block scalars), so a line scan is faithful.
enum YAMLDocumentSplitter {
    private enum LineKind {
        case blank  // blank or comment only
        case directive  // %YAML, %TAG
        case start(hasContent: Bool)  // ---
        case end  // ...
        case content
    }

    static func split(_ text: String) -> [YAMLDocumentSource] {
        let bytes = Array(text.utf8)
        // Line ranges (byte offsets), each including its newline.
        var lines: [Range<Int>] = []
        var start = 0
        for (i, c) in bytes.enumerated() where c == UInt8(ascii: "\n") {
            lines.append(start..<(i + 1))
            start = i + 1
        }
        if start < bytes.count { lines.append(start..<bytes.count) }

        var docs: [YAMLDocumentSource] = []
        var current: [Int] = []  // line indices of the current document
        var hasExplicitStart = false
        var hasContent = false

        func flush() {
            guard !current.isEmpty else { return }
            let slice = { (idx: [Int]) -> String in
                guard let first = idx.first, let last = idx.last else { return "" }
                return String(decoding: bytes[lines[first].lowerBound..<lines[last].upperBound], as: UTF8.self)
            }
            // rawText drops bare marker lines at the document's edges.
            var raw = current
            if let first = raw.first, case .start(false) = kind(of: lines[first], in: bytes) { raw.removeFirst() }
            // A bare `---` after leading comments still separates; drop it too.
            raw.removeAll {
                if case .start(false) = kind(of: lines[$0], in: bytes) { return true } else { return false }
            }
            if let last = raw.last, case .end = kind(of: lines[last], in: bytes) { raw.removeLast() }
            docs.append(
                YAMLDocumentSource(
                    index: docs.count, text: slice(current), firstLine: current[0] + 1, rawText: slice(raw),
                    rawFirstLine: (raw.first ?? current[0]) + 1, isEmpty: !hasContent))
            current = []
            hasExplicitStart = false
            hasContent = false
        }

        for (n, range) in lines.enumerated() {
            switch kind(of: range, in: bytes) {
            case .start(let inline):
                if hasContent || hasExplicitStart { flush() }
                hasExplicitStart = true
                current.append(n)
                if inline { hasContent = true }
            case .end:
                current.append(n)
                flush()
            case .content:
                current.append(n)
                hasContent = true
            case .blank, .directive:
                current.append(n)
            }
        }
        flush()
        return docs
    }

    private static func kind(of range: Range<Int>, in b: [UInt8]) -> LineKind {
        var end = range.upperBound
        while end > range.lowerBound, b[end - 1] == UInt8(ascii: "\n") || b[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = b[range.lowerBound..<end]
        guard let first = line.first else { return .blank }
        func isMarker(_ c: UInt8) -> Bool {
            guard line.count >= 3, line.prefix(3).allSatisfy({ $0 == c }) else { return false }
            return line.count == 3 || line[line.startIndex + 3] == 0x20 || line[line.startIndex + 3] == 0x09
        }
        if isMarker(UInt8(ascii: "-")) {
            let rest = line.dropFirst(3).drop { $0 == 0x20 || $0 == 0x09 }
            return .start(hasContent: !(rest.isEmpty || rest.first == UInt8(ascii: "#")))
        }
        if isMarker(UInt8(ascii: ".")) { return .end }
        if first == UInt8(ascii: "%") { return .directive }
        let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 }
        if trimmed.isEmpty || trimmed.first == UInt8(ascii: "#") { return .blank }
        return .content
    }
}
