import SigmaKit
import Testing

/// Detection items: values, modifiers and keywords (§5, §6, §7, §9, §10, §12, §14 PH-01..PH-04).
struct ModifierTests {
    typealias Part = SigmaString.Part

    static let itemLocation = SigmaKit.SourceLocation(path: "rule.yml", line: 9, column: 9)

    /// Value `i` is written on line 10 + i.
    static func valueLocation(_ index: Int) -> SigmaKit.SourceLocation {
        SigmaKit.SourceLocation(path: "rule.yml", line: 10 + index, column: 15)
    }

    /// Builds an item from a YAML-style key (`field|mod|mod`, `|mod` or `` for keywords).
    static func build(
        _ key: String, _ values: [RuleScalar], placeholders: PlaceholderValues = .init()
    ) throws(RuleError) -> DetectionItem {
        let pieces = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let field = pieces[0].isEmpty ? nil : pieces[0]
        let values = values.enumerated().map { RuleValue($1, at: valueLocation($0)) }
        return try DetectionItemBuilder.build(
            field: field, modifiers: Array(pieces.dropFirst()), values: values, location: itemLocation,
            placeholders: placeholders)
    }

    // MARK: Expected-test shorthands

    /// A case-insensitive pattern written in Sigma syntax.
    static func p(_ text: String) -> ValueTest { .pattern(SigmaString(parsing: text), caseSensitive: false) }
    /// A case-sensitive pattern written in Sigma syntax.
    static func cased(_ text: String) -> ValueTest { .pattern(SigmaString(parsing: text), caseSensitive: true) }
    /// A case-insensitive literal (no wildcards).
    static func lit(_ text: String) -> ValueTest { .pattern(SigmaString(literal: text), caseSensitive: false) }
    /// A case-insensitive pattern from explicit parts.
    static func parts(_ parts: [Part]) -> ValueTest { .pattern(SigmaString(parts: parts), caseSensitive: false) }
    /// `*literal*` with the literal kept as one part (for texts holding `*`, `\` or NUL).
    static func containing(_ text: String) -> ValueTest { parts([.wildcardMulti, .literal(text), .wildcardMulti]) }
    static func re(_ pattern: String, _ flags: SigmaRegex.Flags = []) -> ValueTest {
        // swiftlint:disable:next force_try
        .regex(try! SigmaRegex(pattern: pattern, flags: flags))
    }
    static func cidr(_ text: String) -> ValueTest {
        // swiftlint:disable:next force_try
        .cidr(try! IPNetwork(parsing: text))
    }

    static let dashes = ["-", "/", "\u{2013}", "\u{2014}", "\u{2015}"]

    /// The five windash variants of `prefix + dash + suffix`, as literals or wrapped in `*`.
    static func windash(_ prefix: String, _ suffix: String, contains: Bool = false) -> ValueTest {
        .anyOf(dashes.map { contains ? Self.containing(prefix + $0 + suffix) : Self.lit(prefix + $0 + suffix) })
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var key: String
        var values: [RuleScalar]
        var expected: [ValueTest]
        var all = false
        var negated = false
        var placeholders = PlaceholderValues()
        var testDescription: String { "\(key): \(values)" }
    }

    static let placeholderConfig = PlaceholderValues(values: [
        "admins": ["root", "adm*"],
        "x": ["cmd"],
        "name": ["v"],
        "a": ["1", "2"],
        "b": ["x", "y"],
        "rx": ["a.b", "c"],
    ])
    static let wildcardConfig = PlaceholderValues(unresolvedAsWildcard: true)

    // MARK: Accepted items

    static let accepted: [Case] = [
        // §5 null, empty string, existence
        Case(key: "errorCode", values: [.null], expected: [.null]),  // NV-01
        Case(key: "f", values: [], expected: [.null]),  // DT-08
        Case(key: "f", values: [.string("")], expected: [.pattern(SigmaString(parts: []), caseSensitive: false)]),
        Case(key: "f", values: [.string(""), .null], expected: [lit(""), .null]),  // NV-04
        Case(key: "f|exists", values: [.bool(true)], expected: [.exists(true)]),  // NV-05
        Case(key: "f|exists", values: [.bool(false)], expected: [.exists(false)]),
        Case(key: "f|exists", values: [.bool(true), .bool(false)], expected: [.exists(true), .exists(false)]),
        Case(key: "f", values: [.string("*")], expected: [p("*")]),  // NV-06
        Case(key: "f|contains", values: [.string("*")], expected: [p("*")]),
        Case(key: "f|contains", values: [.string("")], expected: [p("*")]),
        Case(key: "f|startswith", values: [.string("")], expected: [p("*")]),
        Case(key: "f|endswith", values: [.string("")], expected: [p("*")]),
        Case(key: "f|neq", values: [.null], expected: [.null], negated: true),
        Case(key: "f|neq", values: [], expected: [.null], negated: true),

        // §6 strings
        Case(key: "eventName", values: [.string("Console")], expected: [lit("Console")]),  // ST-01
        Case(key: "f", values: [.string("a*b")], expected: [parts([.literal("a"), .wildcardMulti, .literal("b")])]),
        Case(key: "f", values: [.string("a?b")], expected: [parts([.literal("a"), .wildcardSingle, .literal("b")])]),
        Case(key: "f", values: [.string(#"a\*b"#)], expected: [lit("a*b")]),  // ST-03
        Case(key: "f|contains", values: [.string(#"\Temp\"#)], expected: [containing(#"\Temp\"#)]),  // ST-04
        Case(key: "f|contains", values: [.string(#"Temp\"#)], expected: [containing(#"Temp\"#)]),
        Case(key: "f|contains|cased", values: [.string("Login")], expected: [cased("*Login*")]),  // ST-06
        Case(key: "f|cased|contains", values: [.string("Login")], expected: [cased("*Login*")]),
        Case(key: "f|cased", values: [.string("Login")], expected: [cased("Login")]),
        Case(key: "f", values: [.string("100%")], expected: [lit("100%")]),  // ST-07
        Case(key: "f", values: [.string(" a ")], expected: [lit(" a ")]),  // ST-08

        // §7 numbers and booleans
        Case(key: "f", values: [.int(4624)], expected: [.number(4624)]),  // NUM-01
        Case(key: "f", values: [.float(4624.0)], expected: [.number(4624)]),  // NUM-02
        Case(key: "f", values: [.float(1.50)], expected: [.number(1.5)]),
        Case(key: "f", values: [.string("4624")], expected: [lit("4624")]),  // NUM-03
        Case(key: "f", values: [.bool(true)], expected: [.bool(true)]),  // NUM-04
        Case(key: "f", values: [.string("false")], expected: [lit("false")]),
        Case(key: "f|re", values: [.int(123)], expected: [re("123")]),  // NUM-06
        Case(key: "f|neq", values: [.int(5)], expected: [.number(5)], negated: true),
        Case(key: "f|neq", values: [.bool(false)], expected: [.bool(false)], negated: true),

        // MOD-contains / startswith / endswith
        Case(key: "f|contains", values: [.string("*Login*")], expected: [p("*Login*")]),
        Case(key: "f|contains|contains", values: [.string("a")], expected: [p("*a*")]),
        Case(key: "f|contains", values: [.string("a*b")], expected: [p("*a*b*")]),
        Case(key: "f|startswith", values: [.string("adm_")], expected: [p("adm_*")]),
        Case(key: "f|startswith", values: [.string("adm*")], expected: [p("adm*")]),
        Case(
            key: "f|endswith", values: [.string(#"\cmd.exe"#)],
            expected: [parts([.wildcardMulti, .literal(#"\cmd.exe"#)])]),
        Case(key: "f|startswith|endswith", values: [.string("a")], expected: [p("*a*")]),

        // MOD-all
        Case(key: "f|contains|all", values: [.string("a"), .string("b")], expected: [p("*a*"), p("*b*")], all: true),
        Case(key: "f|all", values: [.string("x")], expected: [lit("x")], all: true),
        Case(key: "f|all|contains", values: [.string("x")], expected: [p("*x*")], all: true),

        // MOD-base64 / base64offset
        Case(key: "f|base64", values: [.string("cmd")], expected: [lit("Y21k")]),
        Case(key: "f|base64|contains", values: [.string("http://")], expected: [containing("aHR0cDovLw==")]),
        Case(
            key: "f|base64offset|contains", values: [.string("http://")],
            expected: [.anyOf([containing("aHR0cDovL"), containing("h0dHA6Ly"), containing("odHRwOi8v")])]),
        Case(
            key: "f|base64offset", values: [.string("foobar")],
            expected: [.anyOf([lit("Zm9vYmFy"), lit("Zvb2Jhc"), lit("mb29iYX")])]),
        Case(
            key: "f|base64offset|contains", values: [.string("a")],
            expected: [.anyOf([containing("Y"), p("*"), containing("h")])]),
        Case(key: "f|base64", values: [.string("é")], expected: [lit("w6k=")]),
        Case(key: "f|base64", values: [.string(#"C:\Windows\\"#)], expected: [lit("QzpcV2luZG93c1w=")]),

        // MOD-wide / utf16le / utf16be / utf16
        Case(key: "f|wide|base64", values: [.string("cmd")], expected: [lit("YwBtAGQA")]),
        Case(key: "f|utf16le|base64", values: [.string("cmd")], expected: [lit("YwBtAGQA")]),
        Case(key: "f|utf16be|base64", values: [.string("cmd")], expected: [lit("AGMAbQBk")]),
        Case(key: "f|utf16|base64", values: [.string("cmd")], expected: [lit("//5jAG0AZAA=")]),
        Case(
            key: "f|wide|base64offset|contains", values: [.string("ping")],
            expected: [.anyOf([containing("cABpAG4AZw"), containing("AAaQBuAGcA"), containing("wAGkAbgBnA")])]),
        Case(key: "f|wide", values: [.string("cmd")], expected: [lit("c\u{0}m\u{0}d\u{0}")]),
        Case(key: "f|wide|contains", values: [.string("a")], expected: [containing("a\u{0}")]),
        Case(key: "f|base64|wide", values: [.string("a")], expected: [lit("Y\u{0}Q\u{0}=\u{0}=\u{0}")]),  // CH-01

        // MOD-windash
        Case(key: "f|windash", values: [.string(" -exec ")], expected: [windash(" ", "exec ")]),
        Case(
            key: "f|windash|contains", values: [.string(" -encodedcommand")],
            expected: [windash(" ", "encodedcommand", contains: true)]),
        Case(key: "f|contains|windash", values: [.string(" /c")], expected: [windash(" ", "c", contains: true)]),
        Case(key: "f|windash", values: [.string("-foo-bar")], expected: [windash("", "foo-bar")]),
        Case(key: "f|windash", values: [.string("--foo")], expected: [windash("-", "foo")]),
        Case(key: "f|windash", values: [.string("a/b")], expected: [lit("a/b")]),
        Case(key: "f|windash", values: [.string("x-exec")], expected: [lit("x-exec")]),
        Case(key: "f|windash", values: [.string(" - ")], expected: [lit(" - ")]),
        Case(key: "f|windash", values: [.string("\u{2013}foo")], expected: [lit("\u{2013}foo")]),
        Case(
            key: "f|windash", values: [.string("-a -b")],
            expected: [.anyOf(dashes.flatMap { first in dashes.map { lit("\(first)a \($0)b") } })]),
        Case(
            key: "f|windash", values: [.string("-a -b -c")],
            expected: [
                .anyOf(dashes.flatMap { d1 in dashes.flatMap { d2 in dashes.map { lit("\(d1)a \(d2)b \($0)c") } } })
            ]),
        Case(
            key: "f|windash|contains|all", values: [.string(" -a"), .string(" -b")],  // CH-05
            expected: [windash(" ", "a", contains: true), windash(" ", "b", contains: true)], all: true),
        Case(
            key: "f|base64offset|contains|all", values: [.string("a1"), .string("b2")],
            expected: [
                .anyOf([containing("YT"), containing("Ex"), containing("hM")]),
                .anyOf([containing("Yj"), containing("Iy"), containing("iM")]),
            ], all: true),

        // MOD-re and flags, and contains/startswith/endswith on a regex
        Case(key: "f|re", values: [.string("ab+c")], expected: [re("ab+c")]),
        Case(key: "f|re", values: [.string(#"a\\b"#)], expected: [re(#"a\\b"#)]),
        Case(key: "f|re", values: [.string(".+:assumed-role/aws:.+")], expected: [re(".+:assumed-role/aws:.+")]),
        Case(key: "f|re|i", values: [.string("abc")], expected: [re("abc", .ignoreCase)]),
        Case(key: "f|re|ignorecase", values: [.string("abc")], expected: [re("abc", .ignoreCase)]),
        Case(key: "f|re|m|s", values: [.string("abc")], expected: [re("abc", [.multiline, .dotAll])]),
        Case(
            key: "f|re|multiline|dotall|i", values: [.string("abc")],
            expected: [re("abc", [.multiline, .dotAll, .ignoreCase])]),
        Case(key: "f|re|contains", values: [.string("ab")], expected: [re(".*ab.*")]),
        Case(key: "f|re|contains", values: [.string("^ab")], expected: [re("^ab.*")]),
        Case(key: "f|re|contains", values: [.string("a|b")], expected: [re(".*(?:a|b).*")]),
        Case(key: "f|re|contains", values: [.string("ab$")], expected: [re(".*ab$")]),
        Case(key: "f|re|contains", values: [.string(".*ab")], expected: [re(".*ab.*")]),
        Case(key: "f|re|contains", values: [.string(#"ab\$"#)], expected: [re(#".*ab\$.*"#)]),
        Case(key: "f|re|contains", values: [.string(#"ab\\$"#)], expected: [re(#".*ab\\$"#)]),
        Case(key: "f|re|contains", values: [.string("(a|b)")], expected: [re(".*(a|b).*")]),
        Case(key: "f|re|contains", values: [.string("[|]x")], expected: [re(".*[|]x.*")]),
        Case(key: "f|re|contains", values: [.string("[]|]x")], expected: [re(".*[]|]x.*")]),
        Case(key: "f|re|contains", values: [.string(#"a\|b"#)], expected: [re(#".*a\|b.*"#)]),
        Case(key: "f|re|contains|contains", values: [.string("ab")], expected: [re(".*ab.*")]),
        Case(key: "f|re|startswith", values: [.string("ab")], expected: [re("ab.*")]),
        Case(key: "f|re|startswith", values: [.string("a|b")], expected: [re("(?:a|b).*")]),
        Case(key: "f|re|endswith", values: [.string("ab")], expected: [re(".*ab")]),
        Case(key: "f|re|endswith", values: [.string("^ab")], expected: [re("^ab")]),
        Case(key: "f|re|i|contains", values: [.string("ab")], expected: [re(".*ab.*", .ignoreCase)]),
        Case(key: "f|re|all", values: [.string("a"), .string("b")], expected: [re("a"), re("b")], all: true),

        // MOD-cidr
        Case(key: "sourceIPAddress|cidr", values: [.string("192.168.0.0/23")], expected: [cidr("192.168.0.0/23")]),
        Case(key: "f|cidr", values: [.string("10.0.0.1")], expected: [cidr("10.0.0.1/32")]),
        Case(key: "f|cidr", values: [.string("2001:db8::/32")], expected: [cidr("2001:db8::/32")]),
        Case(key: "f|cidr|neq", values: [.string("10.0.0.0/8")], expected: [cidr("10.0.0.0/8")], negated: true),
        Case(
            key: "f|cidr|all", values: [.string("10.0.0.0/8"), .string("10.1.0.0/16")],
            expected: [cidr("10.0.0.0/8"), cidr("10.1.0.0/16")], all: true),

        // MOD-fieldref
        Case(
            key: "a|fieldref", values: [.string("b")], expected: [.fieldRef("b", mode: .equals, caseSensitive: false)]),
        Case(
            key: "userIdentity.arn|fieldref", values: [.string("requestParameters.userName")],
            expected: [.fieldRef("requestParameters.userName", mode: .equals, caseSensitive: false)]),
        Case(
            key: "a|fieldref|contains", values: [.string("b")],
            expected: [.fieldRef("b", mode: .contains, caseSensitive: false)]),
        Case(
            key: "a|fieldref|startswith", values: [.string("b")],
            expected: [.fieldRef("b", mode: .startswith, caseSensitive: false)]),
        Case(
            key: "a|fieldref|endswith", values: [.string("b")],
            expected: [.fieldRef("b", mode: .endswith, caseSensitive: false)]),
        Case(
            key: "a|fieldref|startswith|endswith", values: [.string("b")],
            expected: [.fieldRef("b", mode: .contains, caseSensitive: false)]),
        Case(
            key: "a|fieldref|neq", values: [.string("b")],
            expected: [.fieldRef("b", mode: .equals, caseSensitive: false)], negated: true),
        Case(
            key: "a|cased|fieldref", values: [.string("b")],
            expected: [.fieldRef("b", mode: .equals, caseSensitive: true)]),
        Case(
            key: "a|fieldref", values: [.string(#"x\*y"#)],
            expected: [.fieldRef("x*y", mode: .equals, caseSensitive: false)]),

        // MOD-gt/gte/lt/lte
        Case(key: "f|gt", values: [.int(5)], expected: [.compare(.greater, 5)]),
        Case(key: "f|gte", values: [.int(5)], expected: [.compare(.greaterOrEqual, 5)]),
        Case(key: "f|lt", values: [.float(-1.5)], expected: [.compare(.less, -1.5)]),
        Case(key: "f|lte", values: [.float(2.0)], expected: [.compare(.lessOrEqual, 2)]),
        Case(key: "f|gt", values: [.int(1), .int(9)], expected: [.compare(.greater, 1), .compare(.greater, 9)]),
        Case(
            key: "f|gt|all", values: [.int(1), .int(9)], expected: [.compare(.greater, 1), .compare(.greater, 9)],
            all: true),
        Case(key: "f|gt|neq", values: [.int(5)], expected: [.compare(.greater, 5)], negated: true),

        // MOD-neq
        Case(key: "f|neq", values: [.string("foo")], expected: [lit("foo")], negated: true),
        Case(key: "f|neq", values: [.string("a"), .string("b")], expected: [lit("a"), lit("b")], negated: true),
        Case(key: "f|contains|neq", values: [.string("x")], expected: [p("*x*")], negated: true),
        Case(
            key: "f|neq|all", values: [.string("a"), .string("b")], expected: [lit("a"), lit("b")],
            all: true, negated: true),

        // MOD-minute/hour/day/week/month/year
        Case(key: "f|hour", values: [.int(3)], expected: [.timePart(.hour, .equal, 3)]),
        Case(key: "eventTime|hour|gte", values: [.int(22)], expected: [.timePart(.hour, .greaterOrEqual, 22)]),
        Case(key: "f|hour|gt", values: [.int(18)], expected: [.timePart(.hour, .greater, 18)]),
        Case(key: "f|minute|lt", values: [.int(5)], expected: [.timePart(.minute, .less, 5)]),
        Case(key: "f|day|lte", values: [.int(5)], expected: [.timePart(.day, .lessOrEqual, 5)]),
        Case(key: "f|week", values: [.int(52)], expected: [.timePart(.week, .equal, 52)]),
        Case(key: "f|month|neq", values: [.int(12)], expected: [.timePart(.month, .equal, 12)], negated: true),
        Case(key: "f|year", values: [.float(2024.0)], expected: [.timePart(.year, .equal, 2024)]),
        Case(
            key: "f|day", values: [.int(1), .int(15)],
            expected: [.timePart(.day, .equal, 1), .timePart(.day, .equal, 15)]),

        // PH-01 .. PH-04 placeholders
        Case(key: "f", values: [.string("%admins%")], expected: [lit("%admins%")], placeholders: placeholderConfig),
        Case(
            key: "f|expand", values: [.string("%admins%")], expected: [.anyOf([lit("root"), p("adm*")])],
            placeholders: placeholderConfig),
        Case(
            key: "f|contains|expand", values: [.string("%x%")], expected: [p("*cmd*")],
            placeholders: placeholderConfig),
        Case(
            key: "f|expand|contains", values: [.string("%admins%")], expected: [.anyOf([p("*root*"), p("*adm*")])],
            placeholders: placeholderConfig),
        Case(
            key: "f|expand", values: [.string(#"\%plain%name%"#)], expected: [lit("%plainv")],
            placeholders: placeholderConfig),
        Case(
            key: "f|expand", values: [.string("%a%-%b%")],
            expected: [.anyOf([lit("1-x"), lit("1-y"), lit("2-x"), lit("2-y")])], placeholders: placeholderConfig),
        Case(key: "f|expand", values: [.string("plain")], expected: [lit("plain")], placeholders: placeholderConfig),
        Case(key: "f|expand", values: [.string("pre%unknown%")], expected: [p("pre*")], placeholders: wildcardConfig),
        Case(
            key: "f|expand|base64", values: [.string("%x%")], expected: [lit("Y21k")], placeholders: placeholderConfig),
        Case(
            key: "f|expand|all", values: [.string("%admins%"), .string("%x%")],
            expected: [.anyOf([lit("root"), p("adm*")]), lit("cmd")], all: true, placeholders: placeholderConfig),
        Case(
            key: "f|re|expand", values: [.string("^%rx%$")], expected: [.anyOf([re("^a.b$"), re("^c$")])],
            placeholders: placeholderConfig),
        Case(
            key: "f|re|expand", values: [.string(#"\%rx%"#)], expected: [re(#"\%rx%"#)], placeholders: placeholderConfig
        ),
        Case(
            key: "f|re|expand|contains", values: [.string("%rx%")],
            expected: [.anyOf([re(".*a.b.*"), re(".*c.*")])], placeholders: placeholderConfig),
        Case(key: "f|re|expand", values: [.string("a%u%")], expected: [re("a.*")], placeholders: wildcardConfig),

        // §12 keywords
        Case(key: "", values: [.string("event::clear")], expected: [p("*event::clear*")]),  // KW-02
        Case(key: "", values: [.string("a*b")], expected: [p("*a*b*")]),
        Case(key: "", values: [.string("*x*")], expected: [p("*x*")]),
        Case(key: "", values: [.string("")], expected: [p("*")]),
        Case(key: "", values: [.string("a"), .string("b")], expected: [p("*a*"), p("*b*")]),  // KW-01
        Case(key: "", values: [.int(4624)], expected: [p("*4624*")]),  // KW-04
        Case(key: "", values: [.float(4624.0)], expected: [p("*4624*")]),
        Case(key: "", values: [.float(1.5)], expected: [p("*1.5*")]),
        Case(key: "", values: [.bool(true)], expected: [p("*true*")]),
        Case(key: "|all", values: [.string("a"), .string("b")], expected: [p("*a*"), p("*b*")], all: true),  // KW-03
        Case(key: "|contains", values: [.string("a")], expected: [p("*a*")]),
        Case(key: "|startswith", values: [.string("a")], expected: [p("*a*")]),
        Case(key: "|cased", values: [.string("A")], expected: [cased("*A*")]),
        Case(key: "|re", values: [.string("a.c")], expected: [re("a.c")]),
        Case(key: "|windash", values: [.string(" -a")], expected: [windash(" ", "a", contains: true)]),
        Case(
            key: "|base64offset|contains", values: [.string("http://")],
            expected: [.anyOf([containing("aHR0cDovL"), containing("h0dHA6Ly"), containing("odHRwOi8v")])]),
        Case(key: "|neq", values: [.string("x")], expected: [p("*x*")], negated: true),
    ]

    @Test(arguments: accepted)
    func builds(_ row: Case) throws {
        let item = try Self.build(row.key, row.values, placeholders: row.placeholders)
        #expect(item.tests == row.expected)
        #expect(item.matchesAll == row.all)
        #expect(item.isNegated == row.negated)
        #expect(item.isKeyword == row.key.hasPrefix("|") || item.isKeyword == row.key.isEmpty)
        #expect(item.location == Self.itemLocation)
        let names = row.key.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map(String.init)
        #expect(item.modifiers.map(\.rawValue) == names)
    }

    // MARK: Rejected items

    enum Place: Sendable {
        case item
        case value(Int)
    }

    struct Reject: Sendable, CustomTestStringConvertible {
        var key: String
        var values: [RuleScalar]
        var code: RuleError.Code
        var fragment: String
        var place: Place
        var placeholders = PlaceholderValues()
        var testDescription: String { "\(key): \(values)" }
    }

    static let rejected: [Reject] = [
        // §9 names
        Reject(
            key: "f|Contains", values: [.string("a")], code: .unknownModifier, fragment: "case-sensitive",
            place: .item),
        Reject(key: "f|foo", values: [.string("a")], code: .unknownModifier, fragment: "'foo'", place: .item),
        Reject(key: "f||contains", values: [.string("a")], code: .unknownModifier, fragment: "empty", place: .item),
        Reject(key: "f|contains|", values: [.string("a")], code: .unknownModifier, fragment: "empty", place: .item),
        // NV-05 exists
        Reject(
            key: "f|exists", values: [.string("true")], code: .invalidModifier, fragment: "boolean", place: .value(0)),
        Reject(key: "|exists", values: [.bool(true)], code: .invalidModifier, fragment: "keywords", place: .item),
        Reject(key: "f|neq|exists", values: [.bool(true)], code: .invalidModifier, fragment: "'neq'", place: .item),
        Reject(key: "f|exists|neq", values: [.bool(true)], code: .invalidModifier, fragment: "'neq'", place: .item),
        Reject(key: "f|exists", values: [.null], code: .invalidModifier, fragment: "null", place: .value(0)),
        Reject(key: "f|exists", values: [], code: .invalidModifier, fragment: "null", place: .item),
        Reject(
            key: "f|exists", values: [.bool(true), .int(1)], code: .invalidModifier, fragment: "number",
            place: .value(1)),
        // NUM-05 string modifiers on numbers and booleans; CH-03 null
        Reject(
            key: "EventID|startswith", values: [.int(46)], code: .invalidModifier, fragment: "'46'", place: .value(0)),
        Reject(key: "f|contains", values: [.bool(true)], code: .invalidModifier, fragment: "boolean", place: .value(0)),
        Reject(key: "f|endswith", values: [.float(1.5)], code: .invalidModifier, fragment: "number", place: .value(0)),
        Reject(key: "f|base64", values: [.int(1)], code: .invalidModifier, fragment: "number", place: .value(0)),
        Reject(
            key: "f|base64offset|contains", values: [.int(1)], code: .invalidModifier, fragment: "number",
            place: .value(0)),
        Reject(key: "f|wide|base64", values: [.int(1)], code: .invalidModifier, fragment: "number", place: .value(0)),
        Reject(key: "f|utf16be", values: [.bool(false)], code: .invalidModifier, fragment: "boolean", place: .value(0)),
        Reject(key: "f|windash", values: [.int(1)], code: .invalidModifier, fragment: "number", place: .value(0)),
        Reject(key: "f|cidr", values: [.int(10)], code: .invalidModifier, fragment: "number", place: .value(0)),
        Reject(key: "f|cased", values: [.int(10)], code: .invalidModifier, fragment: "number", place: .value(0)),
        Reject(key: "f|expand", values: [.int(1)], code: .invalidModifier, fragment: "number", place: .value(0)),
        Reject(key: "f|contains", values: [.null], code: .invalidModifier, fragment: "null", place: .value(0)),
        Reject(key: "f|contains", values: [], code: .invalidModifier, fragment: "null", place: .item),
        Reject(
            key: "f|contains", values: [.string("a"), .null], code: .invalidModifier, fragment: "null",
            place: .value(1)),
        Reject(key: "f|re", values: [.null], code: .invalidModifier, fragment: "null", place: .value(0)),  // NUM-06
        Reject(key: "f|re", values: [.bool(true)], code: .invalidModifier, fragment: "boolean", place: .value(0)),
        Reject(key: "f", values: [.float(.infinity)], code: .invalidValue, fragment: "finite", place: .value(0)),
        Reject(key: "f", values: [.float(.nan)], code: .invalidValue, fragment: "finite", place: .value(0)),
        // MOD-base64 / base64offset / CH-01
        Reject(key: "f|base64", values: [.string("a*")], code: .invalidValue, fragment: "wildcards", place: .value(0)),
        Reject(
            key: "f|base64offset", values: [.string("a?b")], code: .invalidValue, fragment: "wildcards",
            place: .value(0)),
        Reject(
            key: "f|contains|base64", values: [.string("a")], code: .invalidModifier, fragment: "'contains'",
            place: .value(0)),
        Reject(
            key: "f|contains|base64offset", values: [.string("a")], code: .invalidModifier, fragment: "'contains'",
            place: .value(0)),
        Reject(
            key: "f|endswith|wide|base64", values: [.string("a")], code: .invalidModifier, fragment: "'endswith'",
            place: .value(0)),
        // MOD-wide: non-ASCII
        Reject(key: "f|wide", values: [.string("é")], code: .invalidValue, fragment: "ASCII", place: .value(0)),
        Reject(
            key: "f|utf16le|base64", values: [.string("日本")], code: .invalidValue, fragment: "ASCII", place: .value(0)),
        Reject(
            key: "f|utf16be|base64", values: [.string("aé")], code: .invalidValue, fragment: "ASCII", place: .value(0)),
        Reject(key: "f|utf16|base64", values: [.string("é")], code: .invalidValue, fragment: "ASCII", place: .value(0)),
        // MOD-windash
        Reject(
            key: "f|windash", values: [.string(" -a -b -c -d")], code: .invalidValue, fragment: "at most 3",
            place: .value(0)),
        // MOD-re, re flags
        Reject(key: "f|contains|re", values: [.string("a")], code: .invalidModifier, fragment: "first", place: .item),
        Reject(key: "f|expand|re", values: [.string("a")], code: .invalidModifier, fragment: "first", place: .item),
        Reject(key: "f|re|re", values: [.string("a")], code: .invalidModifier, fragment: "first", place: .item),
        Reject(key: "f|re|cased", values: [.string("a")], code: .invalidModifier, fragment: "'cased'", place: .item),
        Reject(key: "f|cased|re", values: [.string("a")], code: .invalidModifier, fragment: "'cased'", place: .item),
        Reject(key: "f|i", values: [.string("a")], code: .invalidModifier, fragment: "'i'", place: .item),
        Reject(
            key: "f|contains|ignorecase", values: [.string("a")], code: .invalidModifier, fragment: "'ignorecase'",
            place: .item),
        Reject(key: "f|dotall", values: [.string("a")], code: .invalidModifier, fragment: "'dotall'", place: .item),
        Reject(key: "f|re", values: [.string("a(")], code: .invalidValue, fragment: "a(", place: .value(0)),
        Reject(
            key: "f|re|base64", values: [.string("a")], code: .invalidModifier, fragment: "regular expression",
            place: .value(0)),
        Reject(
            key: "f|re|windash", values: [.string("a")], code: .invalidModifier, fragment: "regular expression",
            place: .value(0)),
        // MOD-cidr
        Reject(
            key: "f|cidr", values: [.string("10.1.2.3/8")], code: .invalidValue, fragment: "host bits",
            place: .value(0)),
        Reject(
            key: "f|cidr", values: [.string("10.0.0.0/33")], code: .invalidValue, fragment: "prefix",
            place: .value(0)),
        Reject(key: "f|cidr", values: [.string("nope")], code: .invalidValue, fragment: "nope", place: .value(0)),
        Reject(
            key: "f|contains|cidr", values: [.string("10.0.0.0/8")], code: .invalidModifier, fragment: "first",
            place: .item),
        Reject(
            key: "f|cidr|contains", values: [.string("10.0.0.0/8")], code: .invalidModifier,
            fragment: "'contains'", place: .item),
        Reject(
            key: "f|expand|cidr", values: [.string("10.0.0.0/8")], code: .invalidModifier, fragment: "cidr",
            place: .item),  // PH-04
        Reject(
            key: "f|cidr|expand", values: [.string("10.0.0.0/8")], code: .invalidModifier, fragment: "'expand'",
            place: .item),
        // MOD-fieldref
        Reject(
            key: "a|fieldref", values: [.string("b*")], code: .invalidValue, fragment: "wildcards", place: .value(0)),
        Reject(
            key: "a|contains|fieldref", values: [.string("b")], code: .invalidValue, fragment: "wildcards",
            place: .value(0)),
        Reject(key: "|fieldref", values: [.string("b")], code: .invalidModifier, fragment: "keywords", place: .item),
        Reject(
            key: "a|fieldref|base64", values: [.string("b")], code: .invalidModifier, fragment: "'base64'",
            place: .item),
        Reject(key: "a|fieldref|re", values: [.string("b")], code: .invalidModifier, fragment: "", place: .item),
        Reject(key: "a|fieldref", values: [.int(1)], code: .invalidModifier, fragment: "number", place: .value(0)),
        Reject(key: "a|fieldref", values: [.null], code: .invalidModifier, fragment: "null", place: .value(0)),
        // MOD-gt/gte/lt/lte
        Reject(
            key: "f|gt", values: [.string("5")], code: .invalidModifier, fragment: "without quotes",
            place: .value(0)),
        Reject(key: "f|gt|lt", values: [.int(5)], code: .invalidModifier, fragment: "chained", place: .item),
        Reject(key: "f|gte|gte", values: [.int(5)], code: .invalidModifier, fragment: "chained", place: .item),
        Reject(key: "f|gt", values: [.bool(true)], code: .invalidModifier, fragment: "boolean", place: .value(0)),
        Reject(key: "f|lte", values: [.null], code: .invalidModifier, fragment: "null", place: .value(0)),
        Reject(
            key: "f|contains|gt", values: [.string("5")], code: .invalidModifier, fragment: "number",
            place: .value(0)),
        // time parts
        Reject(
            key: "f|hour", values: [.string("3")], code: .invalidModifier, fragment: "without quotes",
            place: .value(0)),
        Reject(key: "f|gt|hour", values: [.int(3)], code: .invalidModifier, fragment: "before", place: .item),
        Reject(key: "f|hour", values: [.float(3.5)], code: .invalidValue, fragment: "integer", place: .value(0)),
        Reject(key: "f|hour|minute", values: [.int(3)], code: .invalidModifier, fragment: "chained", place: .item),
        Reject(
            key: "f|hour|contains", values: [.int(3)], code: .invalidModifier, fragment: "time part",
            place: .value(0)),
        // expand
        Reject(
            key: "f|expand", values: [.string("%e%")], code: .unresolvedPlaceholder, fragment: "empty",
            place: .value(0), placeholders: PlaceholderValues(values: ["e": []])),
        Reject(
            key: "f|re|expand", values: [.string("%missing%")], code: .unresolvedPlaceholder,
            fragment: "%missing%", place: .value(0)),
        Reject(
            key: "f|base64|expand", values: [.string("%x%")], code: .invalidModifier, fragment: "before",
            place: .item),
        Reject(
            key: "f|expand|base64", values: [.string("%x%")], code: .invalidValue, fragment: "wildcards",
            place: .value(0), placeholders: PlaceholderValues(unresolvedAsWildcard: true)),
        // keywords (KW-03, KW-04)
        Reject(key: "", values: [.null], code: .invalidValue, fragment: "keyword", place: .value(0)),
        Reject(key: "", values: [.string("a"), .null], code: .invalidValue, fragment: "keyword", place: .value(1)),
        Reject(key: "", values: [], code: .invalidValue, fragment: "keyword", place: .item),
    ]

    @Test(arguments: rejected)
    func rejects(_ row: Reject) {
        do {
            let item = try Self.build(row.key, row.values, placeholders: row.placeholders)
            Issue.record("accepted as \(item.tests)")
        } catch {
            #expect(error.code == row.code, "\(error)")
            #expect(error.message.contains(row.fragment), "\(error)")
            switch row.place {
            case .item: #expect(error.location == Self.itemLocation, "\(error)")
            case .value(let index): #expect(error.location == Self.valueLocation(index), "\(error)")
            }
        }
    }

    // MARK: Limits and hostile input

    @Test func placeholderExplosionIsAResourceLimit() {
        let many = PlaceholderValues(values: ["p": (0..<100).map(String.init)])
        do {
            _ = try Self.build("f|expand", [.string("%p%%p%")], placeholders: many)  // 10,000 is over 4,096
            Issue.record("accepted")
        } catch {
            #expect(error.code == .resourceLimit)
        }
    }

    /// Hostile sizes finish (a hang guard, not a speed measurement: the time limit only catches runaway work).
    @Test(.timeLimit(.minutes(3)))
    func hugeValuesAreHandled() throws {
        let big = String(repeating: "ab\\c-d", count: 2_000_000 / 6)
        let item = try Self.build("f|contains|all", [.string(big)])
        #expect(item.tests.count == 1)
        let encoded = try Self.build("f|base64offset|contains", [.string(big)])
        #expect(encoded.tests.count == 1)
        let keyword = try Self.build("", [.string(big)])
        #expect(keyword.tests.count == 1)
        // windash scans the whole value before refusing it (hundreds of thousands of positions).
        #expect(throws: RuleError.self) {
            try Self.build("f|windash", [.string(String(repeating: " -a", count: 300_000))])
        }
    }

    @Test(arguments: [
        "f|base64", "f|gt", "f|wide", "f|windash", "f|fieldref", "f|cidr",
        "f|Bad\(String(repeating: "x", count: 100_000))",
    ])
    func hugeValuesAreCutInMessages(key: String) {
        let huge = String(repeating: "é -a*", count: 200_000)
        do {
            let item = try Self.build(key, [.string(huge)])
            Issue.record("accepted as \(item.tests.count) tests")
        } catch {
            #expect(error.message.count < 300, "\(error.message.prefix(300))")
        }
    }

    @Test func modifiersAreRecordedAsWritten() throws {
        let item = try Self.build("f|utf16le|base64offset|contains", [.string("a")])
        #expect(item.modifiers == [.utf16le, .base64offset, .contains])
        #expect(item.field == "f")
        let keyword = try Self.build("|all", [.string("a")])
        #expect(keyword.field == nil)
        #expect(keyword.modifiers == [.all])
    }
}
