import Yams

/// Finds a YAML alias used as a mapping key (`*a: x`, `? *a`) before Yams composes the document.
///
/// Yams hashes every mapping key while composing; a key that aliases a large shared structure (an alias
/// bomb) would be hashed node by node, exponentially. PyYAML rejects such keys anyway (unhashable), and no
/// Sigma rule needs one. The scan is a light tokenizer (quotes, comments, block scalars, flow brackets),
/// run only when the document defines an anchor at all.
enum YAMLAliasKeyScanner {
    /// The 1-based (line, column) of the first alias used as a key, or nil.
    static func aliasKeyPosition(in text: String) -> (Int, Int)? {
        let b = Array(text.utf8)
        guard b.contains(UInt8(ascii: "&")), b.contains(UInt8(ascii: "*")) else { return nil }
        let n = b.count
        func isSpace(_ i: Int) -> Bool { i >= n || b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D }
        func isFlowIndicator(_ c: UInt8) -> Bool {
            c == UInt8(ascii: ",") || c == UInt8(ascii: "[") || c == UInt8(ascii: "]") || c == UInt8(ascii: "{")
                || c == UInt8(ascii: "}")
        }
        var i = 0
        var flow = 0
        var atNodeStart = true
        var explicitKey = false
        while i < n {
            let c = b[i]
            if c == 0x0A {
                i += 1
                atNodeStart = true
                continue
            }
            if c == 0x20 || c == 0x09 || c == 0x0D {
                i += 1
                continue
            }
            if c == UInt8(ascii: "#"), i == 0 || isSpace(i - 1) {
                while i < n, b[i] != 0x0A { i += 1 }
                continue
            }
            if flow > 0, c == UInt8(ascii: ",") {
                i += 1
                atNodeStart = true
                continue
            }
            if flow > 0, c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                flow -= 1
                i += 1
                atNodeStart = false
                continue
            }
            if c == UInt8(ascii: ":"), isSpace(i + 1) || flow > 0 {
                i += 1
                atNodeStart = true
                explicitKey = false
                continue
            }
            guard atNodeStart else {
                // Inside a plain scalar: skip to a possible indicator.
                i += 1
                continue
            }
            switch c {
            case UInt8(ascii: "-"), UInt8(ascii: "?"):
                if isSpace(i + 1) {
                    if c == UInt8(ascii: "?") { explicitKey = true }
                    i += 1
                    continue
                }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                flow += 1
                i += 1
                continue
            case UInt8(ascii: "&"), UInt8(ascii: "!"):
                while i < n, !isSpace(i), !isFlowIndicator(b[i]) { i += 1 }
                continue
            case UInt8(ascii: "*"):
                let start = i
                i += 1
                while i < n, !isSpace(i), !isFlowIndicator(b[i]) { i += 1 }
                var j = i
                while j < n, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
                if explicitKey || (j < n && b[j] == UInt8(ascii: ":") && (isSpace(j + 1) || flow > 0)) {
                    return position(of: start, in: b)
                }
                atNodeStart = false
                continue
            case UInt8(ascii: "'"):
                i += 1
                while i < n {
                    if b[i] == UInt8(ascii: "'") {
                        if i + 1 < n, b[i + 1] == UInt8(ascii: "'") {
                            i += 2
                            continue
                        }
                        break
                    }
                    i += 1
                }
                i += 1
                atNodeStart = false
                explicitKey = false
                continue
            case UInt8(ascii: "\""):
                i += 1
                while i < n, b[i] != UInt8(ascii: "\"") { i += b[i] == UInt8(ascii: "\\") ? 2 : 1 }
                i += 1
                atNodeStart = false
                explicitKey = false
                continue
            case UInt8(ascii: "|"), UInt8(ascii: ">"):
                if flow == 0 {
                    // Block scalar: skip the lines indented deeper than the line holding the indicator.
                    var lineStart = i
                    while lineStart > 0, b[lineStart - 1] != 0x0A { lineStart -= 1 }
                    var indent = 0
                    while lineStart + indent < n, b[lineStart + indent] == 0x20 { indent += 1 }
                    while i < n, b[i] != 0x0A { i += 1 }
                    while i < n {
                        var k = i + 1
                        var lineIndent = 0
                        while k < n, b[k] == 0x20 {
                            k += 1
                            lineIndent += 1
                        }
                        let blank = k >= n || b[k] == 0x0A || b[k] == 0x0D
                        guard blank || lineIndent > indent else { break }
                        i = k
                        while i < n, b[i] != 0x0A { i += 1 }
                    }
                    continue
                }
            default:
                break
            }
            // A plain scalar begins here.
            atNodeStart = false
            explicitKey = false
            i += 1
        }
        return nil
    }

    static func position(of offset: Int, in b: [UInt8]) -> (Int, Int) {
        var line = 1
        var column = 1
        for k in 0..<offset {
            if b[k] == 0x0A {
                line += 1
                column = 1
            } else if b[k] & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}

/// Finds where a duplicated mapping key occurs the second time (D8). Yams reports the first occurrence;
/// this re-parses the document with the reported key made unique (one private-use character inserted) until
/// the parser either reports the next occurrence or succeeds, in which case the other occurrence is read off
/// the parsed tree. Runs only on the error path.
enum YAMLDuplicateKeyLocator {
    private static let marker: Character = "\u{E000}"

    static func secondOccurrence(of key: String, firstMark yamsMark: Mark, in text: String) -> TextMark? {
        let firstMark = TextMark(yamsMark)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var insertions: [(line: Int, column: Int)] = []  // in patched coordinates, in order
        var target = firstMark
        var patchedKeyMark = firstMark

        func original(_ mark: TextMark) -> TextMark {
            var column = mark.column
            for ins in insertions.reversed() where ins.line == mark.line && column > ins.column { column -= 1 }
            return TextMark(line: mark.line, column: column)
        }

        for round in 0..<16 {
            guard let inserted = insertMarker(into: &lines, at: target) else { return nil }
            insertions.append((target.line, inserted))
            if round == 0 { patchedKeyMark = target }
            let patched = lines.joined(separator: "\n")
            do {
                guard let root = try YAMLComposer.parse(patched) else { return nil }
                return findSibling(of: key, markedAt: patchedKeyMark, in: root).map { original(TextMark($0)) }
            } catch YamlError.duplicatedKeysInMapping(_, let context) {
                let mark = TextMark(context.mark)
                if keyText(at: mark, in: lines) == key { return original(mark) }
                target = mark  // another duplicated key of the same map: neutralise it too and go on
            } catch {
                return nil
            }
        }
        return nil
    }

    /// Inserts the marker at the start of the key's text; returns the column where it went.
    private static func insertMarker(into lines: inout [String], at mark: TextMark) -> Int? {
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        var scalars = Array(lines[mark.line - 1].unicodeScalars)
        var col = mark.column - 1
        guard col >= 0, col <= scalars.count else { return nil }
        // Skip node properties (`&anchor`, `!tag`) and an opening quote.
        while col < scalars.count, scalars[col] == "&" || scalars[col] == "!" {
            while col < scalars.count, scalars[col] != " " { col += 1 }
            while col < scalars.count, scalars[col] == " " { col += 1 }
        }
        if col < scalars.count, scalars[col] == "'" || scalars[col] == "\"" { col += 1 }
        scalars.insert(contentsOf: marker.unicodeScalars, at: col)
        var line = ""
        line.unicodeScalars.append(contentsOf: scalars)
        lines[mark.line - 1] = line
        return col + 1
    }

    /// In the map whose key was marked, the other key equal to `key`.
    private static func findSibling(of key: String, markedAt mark: TextMark, in node: Node) -> Mark? {
        var stack: [Node] = [node]
        var visited = 0
        while let current = stack.popLast() {
            visited += 1
            if visited > 100_000 { return nil }
            switch current {
            case .mapping(let map):
                let keys = map.map(\.key)
                if keys.contains(where: { $0.mark?.line == mark.line && $0.string?.first == marker }) {
                    return keys.first { $0.string == key }?.mark
                }
                for (k, v) in map {
                    stack.append(k)
                    stack.append(v)
                }
            case .sequence(let seq):
                stack.append(contentsOf: seq)
            default:
                break
            }
        }
        return nil
    }

    /// The key written at `mark` (plain or quoted), as a string.
    private static func keyText(at mark: TextMark, in lines: [String]) -> String? {
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        let scalars = Array(lines[mark.line - 1].unicodeScalars)
        var i = mark.column - 1
        guard i >= 0, i < scalars.count else { return nil }
        var out = String.UnicodeScalarView()
        if scalars[i] == "'" || scalars[i] == "\"" {
            let quote = scalars[i]
            i += 1
            while i < scalars.count {
                if scalars[i] == quote {
                    if quote == "'", i + 1 < scalars.count, scalars[i + 1] == "'" {
                        out.append("'")
                        i += 2
                        continue
                    }
                    break
                }
                if quote == "\"", scalars[i] == "\\", i + 1 < scalars.count {
                    i += 1
                }
                out.append(scalars[i])
                i += 1
            }
            return String(out)
        }
        while i < scalars.count {
            if scalars[i] == ":", i + 1 == scalars.count || scalars[i + 1] == " " || scalars[i + 1] == "\t" { break }
            if scalars[i] == "," || scalars[i] == "}" { break }
            out.append(scalars[i])
            i += 1
        }
        return String(String(out).reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

/// A 1-based line and column (Yams' `Mark` cannot be created outside Yams).
struct TextMark: Sendable, Hashable {
    var line: Int
    var column: Int
    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    init(_ mark: Mark) {
        self.init(line: mark.line, column: mark.column)
    }
}
