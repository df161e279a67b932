import Foundation
import Testing

@testable import SigmaKit

/// §1: files and YAML handling (Y-01..Y-04, D8) and hostile input.
struct LoaderYAMLTests {
    // MARK: Y-01 multi-document files

    @Test func multiDocumentFileLoadsEveryDocumentAndIgnoresEmptyOnes() throws {
        let yaml = LoaderFixture.rule(title: "one") + "\n---\n" + LoaderFixture.rule(title: "two") + "\n---\n"
        let c = LoaderFixture.load(yaml)
        #expect(c.errors.isEmpty)
        #expect(c.rules.map(\.title) == ["one", "two"])
        #expect(c.rules.map(\.origin.documentIndex) == [0, 1])
        let second = try #require(c.rules.last)
        #expect(second.origin.rawText.hasPrefix("title: two\n"))
        #expect(!second.origin.rawText.contains("---"))
        let expectedLine = yaml.components(separatedBy: "title: two")[0].filter { $0 == "\n" }.count + 1
        #expect(second.origin.location.line == expectedLine)
    }

    @Test func singleDocumentRawTextIsTheWholeFile() throws {
        let yaml = "# comment\n" + LoaderFixture.rule()
        let c = LoaderFixture.load(yaml)
        #expect(try #require(c.rules.first).origin.rawText == yaml)
    }

    @Test func explicitStartMarkerAndEndMarker() {
        let yaml = "# header\n---\n" + LoaderFixture.rule(title: "a") + "\n...\n---\n" + LoaderFixture.rule(title: "b")
        let c = LoaderFixture.load(yaml)
        #expect(c.errors.isEmpty)
        #expect(c.rules.map(\.title) == ["a", "b"])
    }

    @Test func aBadDocumentRejectsOnlyItself() {
        let yaml =
            LoaderFixture.rule(title: "good") + "\n---\ntitle: [unclosed\n---\n"
            + LoaderFixture.rule(title: "also good")
        let c = LoaderFixture.load(yaml)
        #expect(c.rules.map(\.title) == ["good", "also good"])
        #expect(c.documentsRejected == 1)
        let error = c.errors.first
        #expect(error?.code == "yaml-syntax")
        #expect(error?.location?.line ?? 0 >= 10)
    }

    // MARK: Y-02 / D8 duplicate keys

    @Test(arguments: [
        // (yaml, line, column of the SECOND occurrence)
        ("title: a\ntitle: b\n", 2, 1),
        ("title: x\nlogsource:\n    product: aws\n    product: gcp\n", 4, 5),
        ("title: x\ndetection:\n    sel:\n        a: b\n        'a': c\n    condition: sel\n", 5, 9),
        ("title: x\ndetection:\n    sel: {a: b, a: c}\n    condition: sel\n", 3, 17),
        ("title: x\ndetection:\n    sel: {b: 1, a: b, b: 2, a: c}\n    condition: sel\n", 3, 29),
        ("t: 1\nx:\n  - a: 1\n    a: 2\n", 4, 5),
        ("a: 1\nb: 2\na: 3\na: 4\n", 3, 1),
    ])
    func duplicateKeyIsRejectedAtTheSecondOccurrence(yaml: String, line: Int, column: Int) throws {
        let c = LoaderFixture.load(yaml)
        let error = try #require(c.errors.first)
        #expect(error.code == "duplicate-key")
        #expect(error.location?.line == line)
        #expect(error.location?.column == column)
        #expect(error.message.contains("already defined at line"))
    }

    @Test func duplicateKeyInOneDocumentKeepsTheOthers() {
        let yaml = LoaderFixture.rule(title: "kept") + "\n---\ntitle: a\ntitle: b\n"
        let c = LoaderFixture.load(yaml)
        #expect(c.rules.map(\.title) == ["kept"])
        #expect(c.errors.first?.location?.line == 12)
    }

    // MARK: Y-03 YAML 1.1 scalar typing

    @Test(
        arguments: [
            ("yes", YAMLValue.scalar(.bool(true))), ("No", .scalar(.bool(false))), ("ON", .scalar(.bool(true))),
            ("off", .scalar(.bool(false))), ("True", .scalar(.bool(true))),
            ("0x1F", .scalar(.int(31))), ("010", .scalar(.int(8))), ("0b101", .scalar(.int(5))),
            ("1_000", .scalar(.int(1000))), ("1:20", .scalar(.int(80))), ("-0x10", .scalar(.int(-16))),
            ("0", .scalar(.int(0))), ("4624", .scalar(.int(4624))), ("0x40810000", .scalar(.int(1_082_195_968))),
            ("09", .scalar(.string("09"))), ("0o17", .scalar(.string("0o17"))), ("1e3", .scalar(.string("1e3"))),
            ("1.0e3", .scalar(.string("1.0e3"))), ("1,000", .scalar(.string("1,000"))),
            (".5", .scalar(.float(0.5))), ("1.5", .scalar(.float(1.5))), ("1.0e+3", .scalar(.float(1000))),
            ("1:20.5", .scalar(.float(80.5))), ("-.5", .scalar(.string("-.5"))),
            ("~", .scalar(.null)), ("null", .scalar(.null)), ("Null", .scalar(.null)), ("NULL", .scalar(.null)),
            ("nULL", .scalar(.string("nULL"))), ("'yes'", .scalar(.string("yes"))),
            ("\"010\"", .scalar(.string("010"))),
            ("!!str 12", .scalar(.string("12"))), ("!!int '12'", .scalar(.int(12))),
            ("2024-01-01", .scalar(.string("2024-01-01"))),
        ] as [(String, YAMLValue)])
    func plainScalarsAreTypedAsYAML11(text: String, expected: YAMLValue) {
        #expect(LoaderFixture.customValue(text) == expected)
    }

    @Test(arguments: [
        ("f: .inf", "Invalid number"), ("f: -.Inf", "Invalid number"), ("f: .nan", "Invalid number"),
        ("f: 2024-01-01", "Unsupported type"), ("f: 2024-01-01 10:00:00", "Unsupported type"),
        ("f: 99999999999999999999", "too large"), ("f: =", "value key"), ("f: <<", "merge key"),
        ("f: 2024-02-30", "not a valid date"),
    ])
    func valuesThatCannotBeRuleValuesAreRejected(item: String, reason: String) throws {
        let c = LoaderFixture.load(LoaderFixture.rule(detection: "    sel:\n        \(item)\n    condition: sel"))
        let error = try #require(c.errors.first)
        #expect(c.rules.isEmpty)
        #expect(error.message.contains(reason), "\(error)")
        #expect(error.location?.line == 7)
    }

    @Test func quotedDateIsAString() {
        let c = LoaderFixture.load(
            LoaderFixture.rule(detection: "    sel:\n        f: '2024-01-01'\n    condition: sel"))
        #expect(c.errors.isEmpty)
    }

    @Test func typingMatchesPyYAMLOnEdgeForms() throws {
        #expect(try YAML11Typing.resolve(plain: "+1") == .int(1))
        #expect(try YAML11Typing.resolve(plain: "0_7") == .int(7))
        #expect(try YAML11Typing.resolve(plain: "1.") == .float(1))
        #expect(try YAML11Typing.resolve(plain: "1.e+3") == .float(1000))
        #expect(try YAML11Typing.resolve(plain: "190:20:30") == .int(685_230))
        #expect(try YAML11Typing.resolve(plain: "1:60") == .string("1:60"))
        #expect(try YAML11Typing.resolve(plain: "2024-1-5") == .string("2024-1-5"))
        #expect(
            try YAML11Typing.resolve(plain: "2001-12-14t21:59:43.10-05:00")
                == .timestamp("2001-12-14t21:59:43.10-05:00"))
        #expect(try YAML11Typing.resolve(plain: "-9223372036854775808") == .int(Int64.min))
        #expect(try YAML11Typing.resolve(plain: "") == .null)
        #expect(try YAML11Typing.resolve(plain: "Yes please") == .string("Yes please"))
    }

    @Test func mergeKeysApplyAsInPyYAML() throws {
        let yaml =
            "base: &b {product: aws, service: x}\n" + LoaderFixture.rule(extra: "merged:\n    <<: *b\n    service: own")
        let c = LoaderFixture.load(yaml)
        #expect(c.errors.isEmpty, "\(c.errors)")
        let merged = try #require(c.rules.first?.metadata.customAttributes.first { $0.key == "merged" }?.value)
        #expect(
            merged
                == .mapping([
                    (key: "product", value: .scalar(.string("aws"))), (key: "service", value: .scalar(.string("own"))),
                ]))
    }

    @Test func unknownTagsAreRejected() {
        #expect(LoaderFixture.errorCodes(LoaderFixture.rule(extra: "x: !custom 1")) == ["unsupported"])
        #expect(LoaderFixture.errorCodes(LoaderFixture.rule(extra: "x: !!binary aGVsbG8=")) == ["unsupported"])
    }

    // MARK: Y-04 legacy collections

    @Test func globalMergesIntoEveryFollowingRuleAndWinsForScalars() throws {
        let yaml = """
            action: global
            title: base
            level: high
            logsource:
                product: aws
            detection:
                condition: sel
            ---
            title: doc1
            level: low
            logsource:
                service: cloudtrail
            detection:
                sel: {eventName: A}
            ---
            title: doc2
            detection:
                sel: {eventName: B}
            """
        let c = LoaderFixture.load(yaml)
        #expect(c.errors.isEmpty, "\(c.errors)")
        #expect(c.rules.count == 2)
        let first = try #require(c.rules.first)
        #expect(first.title == "base")
        #expect(first.level == .high)
        #expect(first.logsource == LogSource(product: "aws", service: "cloudtrail"))
        #expect(first.conditionTexts == ["sel"])
        #expect(first.origin.rawText.hasPrefix("title: doc1"))
    }

    @Test func globalListsReplaceTheDocumentsLists() throws {
        let yaml =
            "action: global\ntags: [attack.g0001]\n---\n"
            + LoaderFixture.rule(extra: "tags: [attack.t1190, attack.t1078]")
        let c = LoaderFixture.load(yaml)
        #expect(try #require(c.rules.first).metadata.tags == ["attack.g0001"])
    }

    @Test func resetClearsTheGlobalAndRepeatReusesThePreviousRule() throws {
        let yaml = """
            action: global
            level: high
            ---
            \(LoaderFixture.rule(title: "first"))
            ---
            action: repeat
            title: repeated
            ---
            action: reset
            ---
            \(LoaderFixture.rule(title: "after reset"))
            """
        let c = LoaderFixture.load(yaml)
        #expect(c.errors.isEmpty, "\(c.errors)")
        #expect(c.rules.map(\.title) == ["first", "repeated", "after reset"])
        #expect(c.rules.map(\.level) == [.high, .high, nil])
        #expect(c.rules[1].detections.map(\.name) == ["sel"])
    }

    @Test func unknownActionIsRejected() throws {
        let c = LoaderFixture.load("action: merge\ntitle: x\n---\n" + LoaderFixture.rule())
        #expect(c.rules.count == 1)
        let error = try #require(c.errors.first)
        #expect(error.message.contains("unknown collection action 'merge'"))
        #expect(error.location?.line == 1 && error.location?.column == 9)
    }

    @Test func correlationsAndFiltersAreNotMergedWithTheGlobal() throws {
        let yaml = """
            action: global
            level: critical
            ---
            title: corr
            name: c
            correlation:
                type: event_count
                rules: [r]
                timespan: 5m
                condition: {gte: 2}
            ---
            \(LoaderFixture.rule(extra: "name: r"))
            """
        let c = LoaderFixture.load(yaml)
        #expect(c.errors.isEmpty, "\(c.errors)")
        #expect(c.correlations.first?.metadata.level == nil)
        #expect(c.rules.first?.level == .critical)
    }

    // MARK: Hostile input

    @Test(.timeLimit(.minutes(1))) func aliasBombIsStoppedByTheNodeBudget() throws {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        yaml += LoaderFixture.rule()
        let c = LoaderFixture.load(yaml)
        let error = try #require(c.errors.first)
        #expect(error.code == "resource-limit")
        #expect(error.message.contains("maxNodes"))
        #expect(c.rules.isEmpty)
    }

    @Test(.timeLimit(.minutes(1))) func aliasUsedAsAKeyIsRejectedBeforeYamsHashesIt() throws {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        yaml += "m:\n    *a9 : 1\n    other: 2\n"
        let c = LoaderFixture.load(yaml)
        let error = try #require(c.errors.first)
        #expect(error.code == "unsupported")
        #expect(error.location?.line == 12 && error.location?.column == 5)
    }

    @Test(.timeLimit(.minutes(1))) func millionsOfTinyNodesAreRefusedBeforeParsing() throws {
        let yaml = "x: [" + String(repeating: "a,", count: 2_000_000) + "a]\n"
        let c = LoaderFixture.load(yaml)
        let error = try #require(c.errors.first)
        #expect(error.code == "resource-limit")
        #expect(error.message.contains("maxNodes"))
    }

    @Test func hugeValueIsRejectedWithItsPosition() throws {
        let big = String(repeating: "A", count: 10 << 20)
        let c = LoaderFixture.load(LoaderFixture.rule(detection: "    sel:\n        f: '\(big)'\n    condition: sel"))
        let error = try #require(c.errors.first)
        #expect(error.code == "resource-limit")
        #expect(error.location?.line == 7)
        #expect(error.message.contains("maxScalarBytes"))
    }

    @Test func fileLargerThanTheLimitIsRejectedNamingTheFile() throws {
        let loader = RuleLoader(options: LoaderOptions(maxFileBytes: 100))
        let c = loader.load(data: Array(LoaderFixture.rule().utf8), path: "big.yml")
        let error = try #require(c.errors.first)
        #expect(error.code == "resource-limit")
        #expect(error.location?.path == "big.yml")
        #expect(c.documentsRejected == 1)
    }

    @Test func invalidUTF8IsReportedWithByteOffsetAndLine() throws {
        var bytes = Array("title: ok\nlogsource:\n    product: a\u{E9}b\n".utf8)
        bytes.insert(0xFF, at: 30)
        let c = RuleLoader().load(data: bytes, path: "bad.yml")
        let error = try #require(c.errors.first)
        #expect(error.code == "unreadable")
        #expect(error.message.contains("byte offset 30"))
        #expect(error.location == SourceLocation(path: "bad.yml", line: 3, column: 10))
    }

    @Test func byteOrderMarkIsAccepted() {
        let c = RuleLoader().load(data: [0xEF, 0xBB, 0xBF] + Array(LoaderFixture.rule().utf8), path: "bom.yml")
        #expect(c.errors.isEmpty)
        #expect(c.rules.count == 1)
    }

    @Test(arguments: ["block", "flow", "sequence"])
    func tenThousandDeepNestingIsRejected(style: String) throws {
        let depth = 10_000
        let yaml: String
        switch style {
        case "flow": yaml = "x: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        case "sequence":
            yaml = "x:\n" + (0..<depth).map { String(repeating: " ", count: $0) + "-" }.joined(separator: "\n")
        default: yaml = (0..<depth).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n")
        }
        let c = LoaderFixture.load(yaml)
        let error = try #require(c.errors.first)
        #expect(error.code == "resource-limit" || error.code == "yaml-syntax", "\(error)")
        #expect(c.rules.isEmpty)
    }

    @Test func documentThatIsNotAMapIsRejected() {
        #expect(LoaderFixture.errorCodes("- a\n- b\n") == ["invalid-attribute"])
        #expect(LoaderFixture.errorCodes("just text\n") == ["invalid-attribute"])
    }
}
