import Testing

@testable import SigmaKit

/// What ``SigmaRegex`` accepts and refuses: exactly RE2's syntax (as pySigma 2.0.1 compiles `|re`).
struct RegexSyntaxTests {
    /// A refused pattern: the error code, and text the message must contain (the construct and its offset).
    struct Rejection: CustomTestStringConvertible, Sendable {
        var pattern: String
        var code: RuleError.Code
        var mentions: [String]
        var testDescription: String { "/\(pattern)/ → \(code)" }
    }

    static func r(_ pattern: String, _ code: RuleError.Code, _ mentions: String...) -> Rejection {
        Rejection(pattern: pattern, code: code, mentions: mentions)
    }

    /// Constructs of other dialects that RE2 refuses.
    static let unsupported: [Rejection] = [
        r("a(?=b)", .unsupported, "lookahead", "(?=", "offset 1"),
        r("a(?!b)", .unsupported, "negative lookahead", "(?!", "offset 1"),
        r("(?<=a)b", .unsupported, "lookbehind", "(?<=", "offset 0"),
        r("(?<!a)b", .unsupported, "negative lookbehind", "(?<!", "offset 0"),
        r("(a)\\1", .unsupported, "backreference", "\\1", "offset 3"),
        r("\\9", .unsupported, "backreference", "\\9", "offset 0"),
        r("(?P<n>a)(?P=n)", .unsupported, "named backreference", "(?P=", "offset 8"),
        r("(?<n>a)\\k<n>", .unsupported, "backreference", "\\k", "offset 7"),
        r("a*+", .unsupported, "possessive", "*+", "offset 1"),
        r("a++", .unsupported, "possessive", "++", "offset 1"),
        r("a?+", .unsupported, "possessive", "?+", "offset 1"),
        r("a{2}+", .unsupported, "possessive", "{2}+", "offset 1"),
        r("(?>a+)b", .unsupported, "atomic group", "(?>", "offset 0"),
        r("(?(1)a|b)", .unsupported, "conditional", "(?(", "offset 0"),
        r("abc\\Z", .unsupported, "\\Z", "offset 3"),
        r("\\Gabc", .unsupported, "\\G", "offset 0"),
        r("a\\Cb", .unsupported, "\\C", "offset 1"),
        r("(?x) a", .unsupported, "verbose", "offset 0"),
        r("a(?#note)", .unsupported, "comment", "(?#", "offset 1"),
        r("(?'n'a)", .unsupported, "(?'", "offset 0"),
        r("(?R)", .unsupported, "recursion", "offset 0"),
        r("\\u0041", .unsupported, "\\u", "offset 0"),
        r("\\e", .unsupported, "\\e", "offset 0"),
        r("\\cA", .unsupported, "\\c", "offset 0"),
        r("\\N{DIGIT ONE}", .unsupported, "\\N", "offset 0"),
        r("a\\Kb", .unsupported, "\\K", "offset 1"),
    ]

    /// Malformed patterns, as RE2 judges them.
    static let invalid: [Rejection] = [
        r("(abc", .invalidValue, "missing )", "offset 0"),
        r("abc)", .invalidValue, "unexpected", ")", "offset 3"),
        r("[abc", .invalidValue, "missing ]", "offset 0"),
        r("[]", .invalidValue, "missing ]"),
        r("*a", .invalidValue, "no argument", "*", "offset 0"),
        r("a|*", .invalidValue, "no argument", "offset 2"),
        r("(?i)*", .invalidValue, "no argument", "offset 4"),
        r("\\Q\\E*", .invalidValue, "no argument"),
        r("a**", .invalidValue, "bad repetition operator", "**", "offset 1"),
        r("a*??", .invalidValue, "bad repetition operator", "offset 1"),
        r("a{2}*", .invalidValue, "bad repetition operator", "{2}*"),
        r("a{2}{3}", .invalidValue, "bad repetition operator"),
        r("a{1001}", .invalidValue, "invalid repetition size", "{1001}", "offset 1"),
        r("a{2,1}", .invalidValue, "invalid repetition size", "{2,1}"),
        r("(a{100}){11}", .invalidValue, "invalid repetition size", "{11}", "offset 8"),
        r("(((a{10}){10}){10}){2}", .invalidValue, "invalid repetition size", "{2}"),
        r("(?:a{0}){2000}", .invalidValue, "invalid repetition size"),
        r("[z-a]", .invalidValue, "invalid character class range", "z-a", "offset 1"),
        r("[a--]", .invalidValue, "invalid character class range"),
        r("[a-\\d]", .invalidValue, "\\d"),
        r("[\\b]", .invalidValue, "\\b"),
        r("[\\Q]\\E]", .invalidValue, "\\Q"),
        r("[[:foo:]]", .invalidValue, "[:foo:]", "offset 1"),
        r("a\\", .invalidValue, "trailing backslash", "offset 1"),
        r("\\y", .invalidValue, "invalid escape", "\\y", "offset 0"),
        r("\\é", .invalidValue, "invalid escape"),
        r("a\\E", .invalidValue, "\\E", "offset 1"),
        r("\\x4", .invalidValue, "invalid escape", "offset 0"),
        r("\\xG1", .invalidValue, "invalid escape"),
        r("\\x{}", .invalidValue, "invalid escape"),
        r("\\x{110000}", .invalidValue, "invalid escape"),
        r("\\p{Foo}", .invalidValue, "Unicode class", "\\p{Foo}", "offset 0"),
        r("\\p{greek}", .invalidValue, "Unicode class"),
        r("\\p{Cn}", .invalidValue, "Unicode class"),
        r("\\p{L", .invalidValue, "Unicode class"),
        r("\\pX", .invalidValue, "Unicode class"),
        r("(?P<n!>a)", .invalidValue, "named capture", "offset 0"),
        r("(?P<>a)", .invalidValue, "named capture"),
        r("(?<n", .invalidValue, "named capture"),
        r("(?i", .invalidValue, "offset 0"),
        r("(?-)", .invalidValue, "flag group"),
        r("(?i-)", .invalidValue, "flag group"),
        r("(?--i)", .invalidValue, "flag group"),
        r("(?z)", .invalidValue, "flag group"),
        r("(?Px)", .invalidValue, "flag group"),
    ]

    @Test(arguments: unsupported + invalid)
    func refusesWhatRE2Refuses(_ test: Rejection) {
        #expect {
            _ = try SigmaRegex(pattern: test.pattern)
        } throws: { error in
            guard let error = error as? RuleError else { return false }
            let mentionsAll = test.mentions.allSatisfy { error.message.contains($0) }
            return error.code == test.code && mentionsAll && error.message.contains(test.pattern)
        }
    }

    /// Syntax RE2 accepts, some of it surprising.
    static let accepted: [String] = [
        "(?P<name>a)", "(?<name>a)", "(?P<n>a)(?P<n>b)", "(?P<1n>a)", "(?P<é>a)", "(?P<٣>a)",
        "(?i)a", "(?-i)a", "(?i:a)", "(?im-s:a)", "(?i-i:a)", "(?ii)", "(?)", "(?U)a*", "(?smi)",
        "\\Qa.b\\E", "\\Qa.b", "\\Qa\\\\E", "x\\Q\\E*", "a{1000}", "a{0,1000}", "a{1000,}", "(a{100}){10}",
        "((a{10}){10}){10}", "((a{2}){2}){250}", "a{,5}", "a{", "{", "a{1", "a{1,2", "a{01}", "a*?", "a??",
        "a{2}?", "^*", "$*", "\\b*", "(?:)*", "()", "(|a)", "a||b", "a(?i)*",
        "\\pL", "\\p{L}", "\\p{Greek}", "\\p{^Greek}", "\\P{Greek}", "\\PL", "\\p{Lu}", "\\p{Any}", "\\pN",
        "\\p{Braille}", "\\pC", "\\p{Co}", "\\p{Cs}", "[\\p{L}]", "[^\\p{L}]", "[\\pL-z]",
        "[[:alpha:]]", "[[:^alpha:]]", "[[:word:]]", "[[=a=]]", "[[.a.]]", "[[:alpha]", "[:alpha:]",
        "[]a]", "[^]a]", "[a-]", "[-a]", "[--a]", "[!--]", "[]-a]", "[\\d-z]", "[a-b-c]", "[\\w-]",
        "\\x41", "\\x{263a}", "\\x{10FFFF}", "\\x{D800}", "\\x{00000041}", "\\0", "\\01", "\\07", "\\08",
        "\\0777", "\\10", "\\101", "\\1000", "[\\101]", "[\\0]", "\\n\\t\\r\\f\\v\\a", "\\A\\z\\b\\B",
        "\\_", "\\-", "\\!", "\\@", "\\%", "\\'", "\\\"", "\\ ", "\\{", "\\}", "\\/", "\\:", "\\#", "\\<", "\\~",
        "\\d\\D\\w\\W\\s\\S", "[\\d\\s]", "[\\x{41}-\\x{5A}]", "[\\n-\\r]", "(?i)\\x{212A}",
        "[[:alpha:]-z]", ".{1000}.{1000}.{1000}", "(a*){1000}", "(a*)*",
    ]

    @Test(arguments: accepted)
    func acceptsWhatRE2Accepts(_ pattern: String) throws {
        _ = try SigmaRegex(pattern: pattern)
    }

    @Test func nestingBeyondTheLimitIsRefusedNotACrash() {
        let depth = RegexParser.maxNesting + 1
        let pattern = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth)
        #expect {
            _ = try SigmaRegex(pattern: pattern)
        } throws: { error in
            (error as? RuleError)?.code == .unsupported && "\(error)".contains("nested deeper")
        }
    }

    @Test func longPatternsAreCutInMessages() {
        let pattern = String(repeating: "a", count: 300) + "(?<n" + String(repeating: "b", count: 300)
        #expect {
            _ = try SigmaRegex(pattern: pattern)
        } throws: { error in
            let message = (error as? RuleError)?.message ?? ""
            return message.count < 300 && message.contains("…") && message.contains("offset 300")
        }
    }

    @Test func programsLargerThanRE2AllowsAreRefused() {
        // RE2 takes at most 698,992 `a`s ("pattern too large - compile failed" beyond).
        #expect(throws: Never.self) { _ = try SigmaRegex(pattern: String(repeating: "a", count: 698_992)) }
        #expect {
            _ = try SigmaRegex(pattern: String(repeating: "a", count: 800_000))
        } throws: { error in
            (error as? RuleError)?.code == .invalidValue && "\(error)".contains("too large")
        }
    }

    @Test func flagModifiersActLikeALeadingInlineFlagGroup() throws {
        let modifier = try SigmaRegex(pattern: "^a.b$", flags: [.ignoreCase, .multiline, .dotAll])
        let inline = try SigmaRegex(pattern: "(?ims)^a.b$")
        for input in ["x\nA\nB", "a\nb", "A.b", "xab"] {
            #expect(modifier.matches(input) == inline.matches(input), "\(input.debugDescription)")
        }
        // The flags are in force from the start, so `(?-i)` still switches them off.
        #expect(try !SigmaRegex(pattern: "(?-i)a", flags: .ignoreCase).matches("A"))
    }

    // MARK: Literal form

    struct LiteralCase: CustomTestStringConvertible, Sendable {
        var pattern: String
        var flags: SigmaRegex.Flags = []
        var expected: SigmaRegex.LiteralForm?
        var caseSensitive = true
        var testDescription: String { "/\(pattern)/" }
    }

    static let literalCases: [LiteralCase] = [
        LiteralCase(pattern: "abc", expected: .contains("abc")),
        LiteralCase(pattern: "^abc", expected: .prefix("abc")),
        LiteralCase(pattern: "\\Aabc", expected: .prefix("abc")),
        LiteralCase(pattern: "abc$", expected: .suffix("abc")),
        LiteralCase(pattern: "abc\\z", expected: .suffix("abc")),
        LiteralCase(pattern: "^abc$", expected: .equals("abc")),
        LiteralCase(pattern: "^$", expected: .equals("")),
        LiteralCase(pattern: "", expected: .contains("")),
        LiteralCase(pattern: "^C:\\\\Windows\\\\", expected: .prefix("C:\\Windows\\")),
        LiteralCase(pattern: "a\\.b\\x41\\Q*?\\E", expected: .contains("a.bA*?")),
        LiteralCase(pattern: "(?:ab)(c)", expected: .contains("abc")),
        LiteralCase(pattern: "[.]exe$", expected: .suffix(".exe")),
        LiteralCase(pattern: "(?i)^abc", expected: .prefix("abc"), caseSensitive: false),
        LiteralCase(pattern: "^abc", flags: .ignoreCase, expected: .prefix("abc"), caseSensitive: false),
        // Folding only matters for letters: digits stay case-sensitive.
        LiteralCase(pattern: "(?i)123", expected: .contains("123")),
        LiteralCase(pattern: "(?i)a(?-i)b", expected: nil),
        LiteralCase(pattern: "(?m)^abc", expected: nil),
        LiteralCase(pattern: "^abc", flags: .multiline, expected: nil),
        LiteralCase(pattern: "a.c", expected: nil),
        LiteralCase(pattern: "ab|c", expected: nil),
        LiteralCase(pattern: "ab?", expected: nil),
        LiteralCase(pattern: "a\\b", expected: nil),
        LiteralCase(pattern: "a^b", expected: nil),
        LiteralCase(pattern: "[ab]", expected: nil),
        LiteralCase(pattern: "(?i)[k]", expected: nil),
    ]

    @Test(arguments: literalCases)
    func literalForm(_ test: LiteralCase) throws {
        let regex = try SigmaRegex(pattern: test.pattern, flags: test.flags)
        let form = regex.literalForm
        #expect(form?.form == test.expected)
        if let form { #expect(form.caseSensitive == test.caseSensitive) }
    }

    /// The literal form and the regex machine agree on every input.
    @Test(arguments: literalCases.filter { $0.expected != nil })
    func literalFormAgreesWithMatching(_ test: LiteralCase) throws {
        let regex = try SigmaRegex(pattern: test.pattern, flags: test.flags)
        let form = try #require(regex.literalForm)
        let probes = ["abc", "xabc", "abcx", "ABC", "C:\\Windows\\x", "a.bA*?", "x.exe", "123", "", "AbC"]
        for input in probes {
            let literal: Bool
            let fold = { (s: String) in form.caseSensitive ? s : s.lowercased() }
            switch form.form {
            case .equals(let s): literal = fold(input) == fold(s)
            case .prefix(let s): literal = fold(input).hasPrefix(fold(s))
            case .suffix(let s): literal = fold(input).hasSuffix(fold(s))
            case .contains(let s): literal = s.isEmpty || fold(input).contains(fold(s))
            }
            #expect(literal == regex.matches(input), "\(input.debugDescription)")
        }
    }
}
