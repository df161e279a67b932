import Testing

@testable import SigmaKit

/// Matching semantics of ``SigmaRegex`` (search, unanchored), following RE2 where it and Python differ.
struct RegexMatchingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var pattern: String
        var flags: SigmaRegex.Flags = []
        var input: String
        var expected: Bool
        var testDescription: String { "/\(pattern)/ on \(input.debugDescription) → \(expected)" }
    }

    static func c(_ pattern: String, _ input: String, _ expected: Bool, _ flags: SigmaRegex.Flags = []) -> Case {
        Case(pattern: pattern, flags: flags, input: input, expected: expected)
    }

    static let anchors: [Case] = [
        c("abc", "xxabcxx", true),
        c("^abc", "abcx", true),
        c("^abc", "xabc", false),
        c("abc$", "xabc", true),
        c("abc$", "abcx", false),
        // RE2: `$` is the end of the text, never "before a final newline" (Python differs).
        c("abc$", "abc\n", false),
        c("^abc$", "abc", true),
        c("\\Aabc\\z", "abc", true),
        c("\\Aabc\\z", "abc\n", false),
        c("^b", "a\nb", false),
        c("^b", "a\nb", true, .multiline),
        c("(?m)^b$", "a\nb\nc", true),
        c("(?m)a$", "a\nb", true),
        c("a$", "a\nb", false),
        c("(?m)\\Ab", "a\nb", false),
        c("^$", "", true),
        c("^$", "x", false),
        c("(?m)^$", "x\n\ny", true),
        c("\\bfoo\\b", "a foo b", true),
        c("\\bfoo\\b", "afoob", false),
        c("\\Boo\\B", "afoob", true),
        c("\\bfoo", "_foo", false),
        // ASCII word boundary, as RE2: é is not a word character.
        c("\\bfoo", "éfoo", true),
        c("x^", "x", false),
        c("$x", "x", false),
    ]

    static let classes: [Case] = [
        c("[a-c]+x", "zzbbax", true),
        c("[^a-c]", "abc", false),
        c("[^a-c]", "abcd", true),
        c("[^a]", "\n", true),
        c("[]a]", "]", true),
        c("[^]a]", "]", false),
        c("[a-]", "-", true),
        c("[-a]", "-", true),
        c("[\\d-z]", "-", true),
        c("[[:alpha:]]+[[:digit:]]", "abc1", true),
        c("[[:^alpha:]]", "abc", false),
        c("[[:space:]]", "\u{0B}", true),
        c("[[:punct:]]", "a.b", true),
        c("[[:xdigit:]]{4}", "00fF", true),
        c("[[:upper:]]", "abc", false),
        c("[[:word:]]", "_", true),
        c("\\d{3}", "a123", true),
        c("\\d", "٣", false),
        c("\\D", "5", false),
        c("\\w+", "é", false),
        c("\\W", "é", true),
        c("\\s", " ", true),
        c("\\s", "\t", true),
        // RE2's \s has no \v.
        c("\\s", "\u{0B}", false),
        c("\\S", "\n", false),
        c(".", "\n", false),
        c(".", "\n", true, .dotAll),
        c("(?s).", "\n", true),
        c("a.c", "a€c", true),
        c("a..c", "a€c", false),
        c("[^x]", "€", true),
        c("\\x41", "A", true),
        c("\\x{263a}", "☺", true),
        c("\\x{1F600}", "😀", true),
        c("\\101", "A", true),
        c("\\0", "\u{0}", true),
        c("\\12", "\n", true),
        c("\\n\\t\\r\\f\\v\\a", "\n\t\r\u{0C}\u{0B}\u{07}", true),
        c("\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\", ".*+?()[]{}|^$\\", true),
        c("\\Qa.b*\\E+", "a.b**", true),
        c("\\Qa.b\\E", "axb", false),
        c("[\\x{41}-\\x{43}]", "B", true),
        c("a{", "a{", true),
        c("a{,5}", "a{,5}", true),
        c("a{01}", "a{01}", true),
        c("x{2}y", "xxy", true),
    ]

    static let unicode: [Case] = [
        c("\\pL+", "Ωmega", true),
        c("\\p{L}", "123", false),
        c("\\p{Lu}", "a", false),
        c("\\p{Lu}", "Ä", true),
        c("\\p{Ll}", "ä", true),
        c("\\p{N}", "Ⅻ", true),
        c("\\p{Nd}", "٣", true),
        c("\\p{P}", "¿", true),
        c("\\p{S}", "€", true),
        c("\\p{Z}", "\u{2003}", true),
        c("\\p{Zs}", " ", true),
        c("\\p{Greek}+", "abc αβγ", true),
        c("\\p{Greek}", "abc", false),
        c("\\p{Cyrillic}", "Ж", true),
        c("\\p{Han}", "漢", true),
        c("\\p{^Greek}", "α", false),
        c("\\P{Greek}", "α", false),
        c("\\PL", "a1", true),
        c("[\\p{Lu}\\d]", "x5", true),
        c("[^\\p{L}]", "abc", false),
        c("\\p{Any}", "\n", true),
    ]

    static let quantifiers: [Case] = [
        c("ab*c", "ac", true),
        c("ab+c", "ac", false),
        c("ab+c", "xabbcx", true),
        c("ab+c", "ABC", false),
        c("ab?c", "abbc", false),
        c("a{2}", "a", false),
        c("a{2}", "aa", true),
        c("^a{2,3}$", "aaaa", false),
        c("^a{2,3}$", "aaa", true),
        c("^a{2,}$", "aaaaaaa", true),
        c("^a{0}$", "", true),
        c("^(ab){2}$", "abab", true),
        c("^(?:a|b){3}$", "aba", true),
        c("a*?b", "aab", true),
        c("^a+?$", "aaa", true),
        c("^a??$", "", true),
        c("^a{1,2}?$", "aa", true),
        c("^(a*)*$", "aaa", true),
        c("^(a*)+b$", "b", true),
        c("^(?:a?){5}a{5}$", "aaaaa", true),
        c("^(a|b|)+$", "abba", true),
        c("^[0-9]{1,3}\\.[0-9]{1,3}$", "10.200", true),
        c("^[0-9]{1,3}\\.[0-9]{1,3}$", "1000.2", false),
        c("(a{10}){10}", String(repeating: "a", count: 99), false),
        c("(a{10}){10}", String(repeating: "a", count: 100), true),
    ]

    static let alternation: [Case] = [
        c("cat|dog", "hotdog", true),
        c("cat|dog", "cow", false),
        c("^(cat|dog)$", "dog", true),
        c("^(cat|dog)s?$", "cats", true),
        c("a||b", "zzz", true),
        c("(|a)x", "x", true),
        c("(?P<name>net)\\s+(?<verb>use)", "net  use", true),
        c("(?:\\s-[^-\\s]{0,20}d|\\s--directory\\s)", "ls -ld x", true),
        c("(^0oa.*|[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,10})", "0oa123", true),
        c("(^0oa.*|[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,10})", "me@example.org", true),
        c("(^0oa.*|[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,10})", "x0oa", false),
    ]

    static let flagsAndFolding: [Case] = [
        c("abc", "xABCx", true, .ignoreCase),
        c("(?i)abc", "xAbCx", true),
        c("(?i)a(?-i)b", "Ab", true),
        c("(?i)a(?-i)b", "AB", false),
        c("(?i:a)b", "Ab", true),
        c("(?i:a)b", "AB", false),
        c("(a(?i)b)c", "aBc", true),
        // (?i) ends with its group.
        c("(a(?i)b)c", "aBC", false),
        c("(?im-s:^a.)", "x\nA\n", false),
        c("(?im-s:^a.)", "x\nAb", true),
        c("(?i)straße", "STRASSE", false),
        c("(?i)ß", "ẞ", true),
        c("(?i)k", "\u{212A}", true),
        c("(?i)\\x{212a}", "k", true),
        c("(?i)s", "ſ", true),
        c("(?i)σ", "ς", true),
        c("(?i)σ", "Σ", true),
        c("(?i)é", "É", true),
        c("(?i)ω", "Ω", true),
        c("(?i)i", "İ", false),
        c("(?i)i", "ı", false),
        c("(?i)[a-c]", "B", true),
        c("(?i)[^k]", "K", false),
        c("(?i)[^k]", "\u{212A}", false),
        c("(?i)\\W", "k", false),
        c("(?i)\\W", "\u{212A}", false),
        c("(?i)\\w", "\u{212A}", true),
        c("(?i)\\p{Lu}", "a", true),
        c("(?i)\\P{Lu}", "A", false),
        c("(?i)[[:lower:]]", "Q", true),
        c("(?i)\\x41", "a", true),
        c("(?i)\\Qab\\E", "AB", true),
        c("(?U)a+", "a", true),
        c("(?s:.)", "\n", true),
        c("(?-s:.)", "\n", false, .dotAll),
        c("(?m)", "", true),
    ]

    @Test(arguments: anchors + classes + unicode + quantifiers + alternation + flagsAndFolding)
    func matchesLikeRE2(_ test: Case) throws {
        let regex = try SigmaRegex(pattern: test.pattern, flags: test.flags)
        #expect(regex.matches(test.input) == test.expected)
        // The byte entry point agrees with the String one.
        let viaBytes = Array(test.input.utf8).withUnsafeBufferPointer { regex.matches($0) }
        #expect(viaBytes == test.expected)
    }

    /// The semantics contract's examples (MOD-re).
    @Test func semanticsContractExamples() throws {
        let arn = try SigmaRegex(pattern: ".+:assumed-role/aws:.+")
        #expect(arn.matches("arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1"))
        let abc = try SigmaRegex(pattern: "ab+c")
        #expect(abc.matches("xabbcx"))
        #expect(!abc.matches("ABC"))
        let insensitive = try SigmaRegex(pattern: "abc", flags: .ignoreCase)
        #expect(insensitive.matches("xABCx"))
    }

    // MARK: Bytes

    @Test func invalidUTF8BytesMatchNothingButDoNotStopTheSearch() throws {
        let regex = try SigmaRegex(pattern: "a.b")
        let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0x20, 0x61, 0x63, 0x62]
        #expect(bytes.withUnsafeBufferPointer { regex.matches($0) })
        let strict = try SigmaRegex(pattern: "^a.b")
        #expect(!bytes.withUnsafeBufferPointer { strict.matches($0) })
        let negated = try SigmaRegex(pattern: "[^x]")
        #expect(![UInt8]([0xC3]).withUnsafeBufferPointer { negated.matches($0) })
        let truncated: [UInt8] = [0x78, 0xE2, 0x82]
        let anyTwo = try SigmaRegex(pattern: "x.")
        #expect(!truncated.withUnsafeBufferPointer { anyTwo.matches($0) })
    }

    @Test func emptyBufferIsSearchedAsEmptyText() throws {
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        #expect(try SigmaRegex(pattern: "^$").matches(empty))
        #expect(try SigmaRegex(pattern: "a*").matches(empty))
        #expect(try !SigmaRegex(pattern: "a").matches(empty))
    }

    /// RE2 tries every byte offset, so `\B` alone also holds between two bytes of one character.
    @Test func notWordBoundaryHoldsInsideMultiByteCharacters() throws {
        let regex = try SigmaRegex(pattern: "\\B")
        #expect(regex.matches("aσa"))
        #expect(!regex.matches("a b"))
        #expect(regex.matches("ab"))
    }

    // MARK: Linear time

    static let pathological: [(String, String, Bool)] = {
        let a50k = String(repeating: "a", count: 50_000)
        return [
            ("(a+)+$", a50k + "!", false),
            ("(a+)+$", a50k, true),
            ("^(a+)+b", a50k, false),
            ("(a|aa)*b", a50k, false),
            ("(a|aa)*b", a50k + "b", true),
            ("(a*)*b", a50k, false),
            ("(x+x+)+y", String(repeating: "x", count: 50_000), false),
            ("(.*a){20}b", a50k, false),
            ("^(a|a?)+c$", a50k, false),
            ("(?i)(a|A)*\\pL{10}!", a50k, false),
            ("((a{1,10}){1,10}){1,10}$", a50k + "b", false),
            ("[a-z]{1000}", a50k, true),
            ("(\\w+\\s?)*$", a50k + "!", true),
        ]
    }()

    @Test(arguments: pathological)
    func catastrophicPatternsFinish(_ pattern: String, _ input: String, _ expected: Bool) throws {
        // Only correctness is asserted; a backtracking engine would not finish these at all.
        #expect(try SigmaRegex(pattern: pattern).matches(input) == expected)
    }

    // MARK: Sharing

    @Test func oneRegexIsSharedAcrossTasks() async throws {
        let regex = try SigmaRegex(pattern: "(?i)\\\\[a-z]{5,6}\\.wll$")
        let inputs = ["C:\\x\\abcde.WLL", "C:\\x\\abc.wll", "C:\\x\\abcdef.wll", "nope"]
        let results = await withTaskGroup(of: Bool.self, returning: [Bool].self) { group in
            for i in 0..<400 {
                let input = inputs[i % inputs.count]
                let expected = i % inputs.count == 0 || i % inputs.count == 2
                group.addTask { regex.matches(input) == expected }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 400)
        #expect(results.allSatisfy { $0 })
    }

    @Test func deepNestingWithinTheLimitCompilesAndRuns() async throws {
        let depth = RegexParser.maxNesting - 1
        let pattern = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth)
        let matched = try await Task { try SigmaRegex(pattern: pattern).matches("xa") }.value
        #expect(matched)
    }

    // MARK: Value semantics

    @Test func equalityAndHashingUsePatternAndFlags() throws {
        let a = try SigmaRegex(pattern: "abc")
        let b = try SigmaRegex(pattern: "abc")
        let c = try SigmaRegex(pattern: "abc", flags: .ignoreCase)
        #expect(a == b)
        #expect(a != c)
        #expect(Set([a, b, c]).count == 2)
        #expect(a.description == "abc")
        #expect(c.flags == .ignoreCase)
        #expect(c.pattern == "abc")
    }
}
