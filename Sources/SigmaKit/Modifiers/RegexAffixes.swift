/// `contains` / `startswith` / `endswith` applied to a regular expression (MOD-contains, MOD-startswith,
/// MOD-endswith): `.*` is added at the start unless the regex begins with `^` or `.*`, and at the end unless it
/// ends with an unescaped `$` or `.*`; a top-level alternation is grouped first (`a|b` → `.*(?:a|b).*`).
/// `startswith` only appends and never adds `^`, so under search semantics it changes nothing.
enum RegexAffixes {
    static func apply(_ modifier: Modifier, to pattern: String) -> String {
        let grouped = hasTopLevelAlternation(pattern) ? "(?:" + pattern + ")" : pattern
        var result = grouped
        let anchoredStart = grouped.hasPrefix(".*") || grouped.hasPrefix("^")
        let openEnded = !endsWithUnescaped(grouped, ".*") && !endsWithUnescaped(grouped, "$")
        switch modifier {
        case .contains:
            if !anchoredStart { result = ".*" + result }
            if openEnded { result += ".*" }
        case .startswith:
            if openEnded { result += ".*" }
        case .endswith:
            if !anchoredStart { result = ".*" + result }
        default:
            break
        }
        return result
    }

    /// True when the regex has a `|` outside every group and character class.
    static func hasTopLevelAlternation(_ pattern: String) -> Bool {
        let bytes = Array(pattern.utf8)
        var depth = 0
        var inClass = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if inClass {
                if byte == UInt8(ascii: "]") { inClass = false }
            } else if byte == UInt8(ascii: "[") {
                inClass = true
                // `[^` and a `]` right after `[` or `[^` are part of the class.
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "^") { index += 1 }
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "]") { index += 1 }
            } else if byte == UInt8(ascii: "(") {
                depth += 1
            } else if byte == UInt8(ascii: ")") {
                depth -= 1
            } else if byte == UInt8(ascii: "|"), depth == 0 {
                return true
            }
            index += 1
        }
        return false
    }

    /// True when `pattern` ends with `suffix` and that suffix is not escaped by an odd run of backslashes.
    static func endsWithUnescaped(_ pattern: String, _ suffix: String) -> Bool {
        let bytes = Array(pattern.utf8)
        let tail = Array(suffix.utf8)
        guard bytes.count >= tail.count, Array(bytes[(bytes.count - tail.count)...]) == tail else { return false }
        var backslashes = 0
        var index = bytes.count - tail.count - 1
        while index >= 0, bytes[index] == UInt8(ascii: "\\") {
            backslashes += 1
            index -= 1
        }
        return backslashes % 2 == 0
    }
}
