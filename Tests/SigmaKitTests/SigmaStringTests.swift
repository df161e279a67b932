import SigmaKit
import Testing

/// Sigma string parsing: wildcards and escaping (ST-02, ST-03, ST-04), placeholders (PH-01, PH-03).
struct SigmaStringTests {
    typealias Part = SigmaString.Part

    static func lit(_ text: String) -> Part { .literal(text) }
    static let star = Part.wildcardMulti
    static let one = Part.wildcardSingle

    // ST-03, every row of the escape table (the Swift literals are the YAML single-quoted values).
    @Test(
        arguments: [
            (#"a\*b"#, [lit("a*b")]),
            (#"a\?b"#, [lit("a?b")]),
            (#"a\\*b"#, [lit(#"a\"#), star, lit("b")]),
            (#"a\\\*b"#, [lit(#"a\*b"#)]),
            (#"a\\\\*b"#, [lit(#"a\\"#), star, lit("b")]),
            (#"C:\Windows\System32"#, [lit(#"C:\Windows\System32"#)]),
            (#"a\\b"#, [lit(#"a\b"#)]),
            (#"a\b"#, [lit(#"a\b"#)]),
            (#"a\\\b"#, [lit(#"a\\b"#)]),
            (#"a\\\\b"#, [lit(#"a\\b"#)]),
            (#"C:\"#, [lit(#"C:\"#)]),
            (#"C:\Windows\*"#, [lit(#"C:\Windows*"#)]),
            (#"C:\Windows\\*"#, [lit(#"C:\Windows\"#), star]),
            (#"\\\\\*\\IPC$"#, [lit(#"\\*\IPC$"#)]),
            (#"ScreenConnect\\App_Extensions\\*.aspx"#, [lit(#"ScreenConnect\App_Extensions\"#), star, lit(".aspx")]),
            // ST-02 wildcards
            ("a*b", [lit("a"), star, lit("b")]),
            ("a?b", [lit("a"), one, lit("b")]),
            ("*", [star]),
            ("**", [star, star]),
            ("?*?", [one, star, one]),
            ("", []),
            (#"\"#, [lit(#"\"#)]),
            (#"\\"#, [lit(#"\"#)]),
            (#"\\\"#, [lit(#"\\"#)]),
            (#"*\Temp\"#, [star, lit(#"\Temp\"#)]),
            // PH-01: without |expand a percent is ordinary, and \% keeps its backslash
            ("%admins%", [lit("%admins%")]),
            (#"\%x%"#, [lit(#"\%x%"#)]),
            ("100%", [lit("100%")]),
            // ST-08: no trimming, Unicode kept as written
            ("  Ä x\u{0301} ", [lit("  Ä x\u{0301} ")]),
            ("日本*語", [lit("日本"), star, lit("語")]),
        ] as [(String, [Part])])
    func parsesEscapes(text: String, parts: [Part]) {
        #expect(SigmaString(parsing: text).parts == parts)
    }

    // PH-02 / PH-03 with |expand (spec reading of \%).
    @Test(
        arguments: [
            ("%admins%", [Part.placeholder("admins")]),
            ("x%a%y", [lit("x"), .placeholder("a"), lit("y")]),
            (#"\%plain%name%"#, [lit("%plain"), .placeholder("name")]),
            (#"\%name%"#, [lit("%name%")]),
            ("%a%%b%", [.placeholder("a"), .placeholder("b")]),
            ("%a%b%", [.placeholder("a"), lit("b%")]),
            ("100%", [lit("100%")]),
            ("%%", [lit("%%")]),
            ("%a b%", [lit("%a b%")]),
            ("%a-b%", [lit("%a-b%")]),
            ("%Domain_Controllers1%", [.placeholder("Domain_Controllers1")]),
            ("%Ländern%", [.placeholder("Ländern")]),
            ("*%srv%*", [star, .placeholder("srv"), star]),
            (#"%a\*%"#, [lit("%a*%")]),
            (#"\\%a%"#, [lit(#"\"#), .placeholder("a")]),
            ("%unterminated", [lit("%unterminated")]),
        ] as [(String, [Part])])
    func parsesPlaceholders(text: String, parts: [Part]) {
        #expect(SigmaString(parsing: text, placeholders: true).parts == parts)
    }

    /// A hang guard (the time limit only catches runaway, quadratic work; speed is measured by benchmarks).
    @Test(.timeLimit(.minutes(2)))
    func hugeValueIsParsed() {
        // 10 MB of mixed escapes, wildcards and percent signs.
        let unit = #"abc\*d\\e*f?%g%\x"#
        let text = String(repeating: unit, count: 10_000_000 / unit.utf8.count)
        let parsed = SigmaString(parsing: text, placeholders: true)
        #expect(parsed.parts.count > 1_000_000)
        // A single 10 MB literal stays one part.
        let plain = String(repeating: "x", count: 10_000_000)
        #expect(SigmaString(parsing: plain).parts == [.literal(plain)])
    }

    @Test func escapedPartsRoundTripForDisplay() {
        let parsed = SigmaString(parsing: #"C:\Windows\\*\*"#)
        #expect(parsed.description == #"C:\\Windows\\*\*"#)
        #expect(SigmaString(parsing: parsed.description) == parsed)
    }
}
