import Foundation
import Testing

@testable import SigmaKit

/// Real-world checks: every `|re` value of the SigmaHQ rules compiles, and the engine agrees with
/// NSRegularExpression wherever ICU's syntax and semantics coincide with RE2's.
struct RegexCorpusTests {
    // MARK: SigmaHQ corpus

    /// `/work/shared/sigma/sigmahq`, found as `../shared` beside the package root.
    static let sigmaHQ: URL? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = root.deletingLastPathComponent().appendingPathComponent("shared/sigma/sigmahq")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    struct CorpusValue: Sendable {
        var file: String
        var line: Int
        var value: String
        var flags: SigmaRegex.Flags
    }

    /// Pulls every `field|re...: value` and `field|re...:` list item out of the YAML, line by line (the rules
    /// write them as one-line scalars).
    static func regexValues(in text: String, file: String) -> [CorpusValue] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var values: [CorpusValue] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            var body = Substring(line.drop { $0 == " " })
            let indent = line.count - body.count
            if body.hasPrefix("- ") { body = body.dropFirst(2) }
            let trailingColon = body.hasSuffix(":") ? body.range(of: ":", options: .backwards) : nil
            guard let colon = body.range(of: ": ") ?? trailingColon else { continue }
            let key = body[..<colon.lowerBound]
            let modifiers = key.split(separator: "|").dropFirst()
            guard modifiers.contains("re"), !key.contains("#") else { continue }
            var flags: SigmaRegex.Flags = []
            for modifier in modifiers {
                switch modifier {
                case "i", "ignorecase": flags.insert(.ignoreCase)
                case "m", "multiline": flags.insert(.multiline)
                case "s", "dotall": flags.insert(.dotAll)
                default: break
                }
            }
            let rest = body[colon.upperBound...].trimmingCharacters(in: .whitespaces)
            if !rest.isEmpty {
                values.append(CorpusValue(file: file, line: index, value: scalar(rest), flags: flags))
                continue
            }
            while index < lines.count {
                let item = lines[index]
                let itemBody = item.drop { $0 == " " }
                if itemBody.isEmpty || itemBody.hasPrefix("#") {
                    index += 1
                    continue
                }
                guard item.count - itemBody.count > indent, itemBody.hasPrefix("- ") else { break }
                index += 1
                let value = String(itemBody.dropFirst(2)).trimmingCharacters(in: .whitespaces)
                values.append(CorpusValue(file: file, line: index, value: scalar(value), flags: flags))
            }
        }
        return values
    }

    /// A one-line YAML scalar: single-quoted, double-quoted or plain, with a trailing comment removed.
    static func scalar(_ text: String) -> String {
        var chars = Array(text)
        if chars.first == "'" {
            var out = ""
            var i = 1
            while i < chars.count {
                if chars[i] == "'" {
                    if i + 1 < chars.count && chars[i + 1] == "'" {
                        out.append("'")
                        i += 2
                        continue
                    }
                    break
                }
                out.append(chars[i])
                i += 1
            }
            return out
        }
        if chars.first == "\"" {
            var out = ""
            var i = 1
            while i < chars.count && chars[i] != "\"" {
                if chars[i] == "\\" && i + 1 < chars.count {
                    let escaped: [Character: Character] = ["n": "\n", "t": "\t", "\\": "\\", "\"": "\"", "/": "/"]
                    out.append(escaped[chars[i + 1]] ?? chars[i + 1])
                    i += 2
                    continue
                }
                out.append(chars[i])
                i += 1
            }
            return out
        }
        if let comment = text.range(of: " #") { chars = Array(text[..<comment.lowerBound]) }
        return String(chars).trimmingCharacters(in: .whitespaces)
    }

    static func corpus() throws -> [CorpusValue] {
        guard let root = sigmaHQ else { return [] }
        var values: [CorpusValue] = []
        let folders = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix("rules") }
        for folder in folders.sorted() {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let relative as String in walker where relative.hasSuffix(".yml") {
                let path = base.appendingPathComponent(relative).path
                let text = try String(contentsOfFile: path, encoding: .utf8)
                guard text.contains("|re") else { continue }
                values += regexValues(in: text, file: "\(folder)/\(relative)")
            }
        }
        return values
    }

    @Test(.enabled(if: sigmaHQ != nil, "../shared/sigma/sigmahq is absent"))
    func everySigmaHQRegexCompiles() throws {
        let values = try Self.corpus()
        // pySigma 2.0.1 loads all of them (about 95 rules, over 200 values counting repeats).
        #expect(values.count >= 200)
        #expect(Set(values.map(\.value)).count >= 140)
        for value in values {
            #expect(throws: Never.self, "\(value.file):\(value.line): \(value.value)") {
                _ = try SigmaRegex(pattern: value.value, flags: value.flags)
            }
        }
    }

    @Test func corpusExtractionReadsQuotingAndLists() {
        let yaml = """
            detection:
                selection:
                    CommandLine|re: 'net\\s+use ''x'''  # comment
                    Image|re|i:
                        - '\\\\[a-z]{5,6}\\.wll$'
                        - "a\\\\b"
                    - Other|re: plain value # note
                condition: selection
            """
        let values = Self.regexValues(in: yaml, file: "x.yml")
        #expect(values.map(\.value) == ["net\\s+use 'x'", "\\\\[a-z]{5,6}\\.wll$", "a\\b", "plain value"])
        #expect(values[1].flags == .ignoreCase)
    }

    // MARK: Differential test against NSRegularExpression

    /// Patterns whose meaning is the same in ICU and RE2 on the inputs below (ASCII only, no `\r`, no final
    /// `\n`: ICU's `\w`, `\d`, `\s` are Unicode-aware, its `.` excludes `\r`, and its `$` also matches before a
    /// final line break).
    static let differentialPatterns: [String] = [
        "net\\s+use\\s+https://docs\\.live\\.net", "ping\\s+-n.{6,64}echo EEEE\\s?>\\s?", "ipconfig\\s+/all",
        "\\\\[a-zA-Z0-9]{1,32}\\.[a-zA-Z0-9]{1,6}\\.[ \"']{1}", "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
        "\\.[a-zA-Z0-9]{1,4} \\.", "\\s[a-fA-F0-9]{8}\\s", "[a-f0-9]{4,8}\\.(?:[a-z0-9\\-]+\\.){2}[a-z0-9\\-]+",
        "[-/][Ee^]{1,2}[ncodema^]*\\s[A-Za-z0-9+/=]{15,}", "query\\s+session",
        "[A-F0-9]{8}-[A-F0-9]{4}-[A-F0-9]{4}-[A-F0-9]{4}-[A-F0-9]{12}",
        "(?i)/lib/python3\\.([5-9]|[0-9]{2})/site-packages/", "[^/]{10,}$",
        "(?i)\\\\(venv|python(.+)?)\\\\lib\\\\site-packages\\\\", "\"(\\{\\d\\}){2,}\"\\s*-f",
        "(?i)\\$\\{`?e`?n`?v`?:`?p`?a`?t`?h`?\\}", "\\s-[FTd]\\s", "APT\\d", ".+:assumed-role/aws:.+",
        "(^0oa.*|[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,10})", "(^|\\/)\\.[^.\\/]",
        "-(W|R)\\s?(\\s|\"|')([0-9a-fA-F]{2}\\s?){2,20}(\\s|\"|')", "(?:\\s-[^-\\s]{0,20}i|\\s--inode\\s)",
        "^[A-Za-z0-9]{16}$", "^%systemroot%\\\\[a-zA-Z]{8}\\.exe$", "(^[a-zA-Z]{4}$)|(^[a-zA-Z]{8}$)",
        "^[Cc]:\\\\[Pp]rogram[Dd]ata\\\\.{1,9}\\.exe", "http[s]?://[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
        "(?i)^C:\\\\Users\\\\[^\\\\]+\\\\NTUSER\\.DAT$", "\\\\Windows\\\\__1\\d{9}\\.\\d{1,7}$",
        "\\bcmd\\b", "\\Bmd\\B", "(?m)^b$", "(?s)a.b", "a.b", "(?i)AbC", "x*", "(ab|a)(bc|c)?d", "^(a+|b+)*c",
        "[[:alpha:]]{3}[[:digit:]]", "a{2,3}?b", "\\x41\\x{42}", "[^a-z]", "(?:a|b)+?c",
    ]

    static let differentialInputs: [String] = [
        "", "net  use https://docs.live.net", "ping -n 1 127.0.0.1 && echo EEEE > x", "ipconfig /all",
        "\\\\srv.example.com\\share\\a.txt. ", "10.0.0.1", "file.exe .", " deadbeef ", "abcd.x-y.z-w.com",
        "powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIA", "query  session",
        "01234567-89AB-CDEF-0123-456789ABCDEF", "/usr/LIB/Python3.11/site-packages/x", "a/b/cdefghijklmnop",
        "C:\\venv\\lib\\site-packages\\x", "\"{0}{1}\" -f", "${e`nv:path}", "tar -d x", "APT29",
        "arn:aws:sts::1:assumed-role/aws:ec2/i-1", "0oa12", "me@example.org", "/home/u/.ssh",
        "x -W 'ab cd ef'", "ls -li x", "ABCDEFGHabcdefgh", "%systemroot%\\abcdefgh.exe", "abcd", "abcdefgh",
        "C:\\ProgramData\\xy.exe", "https://10.2.3.4/", "c:\\users\\bob\\ntuser.dat", "\\Windows\\__1234567890.12",
        "run cmd now", "cmdline", "a\nb\nc", "a\nb", "axb", "ABC", "abcd", "aabcd", "aaab", "abc1", "aab", "AB",
        "xyz", "Z", "ababc",
    ]

    @Test func agreesWithNSRegularExpressionWhereTheSyntaxesAgree() throws {
        var compared = 0
        var matched = 0
        for pattern in Self.differentialPatterns {
            let ours = try SigmaRegex(pattern: pattern)
            let icu = try NSRegularExpression(pattern: pattern)
            for input in Self.differentialInputs {
                let expected = icu.firstMatch(in: input, range: NSRange(input.startIndex..., in: input)) != nil
                #expect(ours.matches(input) == expected, "/\(pattern)/ on \(input.debugDescription)")
                compared += 1
                if expected { matched += 1 }
            }
        }
        #expect(compared >= 200)
        #expect(matched >= 100)
    }
}
