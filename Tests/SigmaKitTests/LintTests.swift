import Testing

@testable import SigmaKit

/// §16 lint warnings (LINT-01..LINT-05) and the warnings §13/§18 ask for.
struct LintTests {
    static func warnings(_ yaml: String, path: String = "<memory>") -> [Diagnostic] {
        let c = RuleLoader().load(yaml: yaml, path: path)
        #expect(c.errors.isEmpty, "\(c.errors)")
        return RuleLinter().lint(c)
    }

    static func codes(_ yaml: String) -> Set<String> { Set(warnings(yaml).map(\.code)) }

    static let id = "id: 929a690e-bef0-4204-a928-ef5e620d6fcc"

    static func rule(_ top: String = id, detection: String = "    sel: {eventName: CreateUser}\n    condition: sel")
        -> String
    {
        LoaderFixture.rule(extra: top, detection: detection)
    }

    @Test func cleanRuleHasNoWarnings() {
        #expect(Self.warnings(Self.rule()).isEmpty)
    }

    @Test(
        arguments: [
            // (top-level lines, detection, expected code)
            ("", nil, "missing-id"),  // LINT-01
            (id + "\nreferences: [https://a, https://a]", nil, "duplicate-reference"),
            (id + "\ntags: [attack.t1190, attack.t1190]", nil, "duplicate-tag"),  // LINT-02
            (id + "\ntags: [foo.bar]", nil, "tag-namespace"),
            (id + "\ntags: [attack.T1190]", nil, "tag-format"),
            (id + "\ntags: [attack.initial_access]", nil, "tag-format"),
            (id + "\ntags: [cve.2021-x]", nil, "tag-format"),
            (id + "\ntags: [car.2016-04]", nil, "tag-format"),
            (id + "\ntags: [detection.other]", nil, "tag-format"),
            (id + "\ntags: [stp.6]", nil, "tag-format"),
            (id + "\ntags: [tlp.white]", nil, "tag-format"),
            (id + "\nstatus: Experimental", nil, "not-lower-case"),
            (id + "\ndate: 2024/1/5", nil, "legacy-date"),
            (id + "\nfalsepositive: [x]", nil, "custom-attribute-typo"),
            (id + "\nTitle2: x\nLEVEL: high", nil, "custom-attribute-typo"),
            (id, "    sel: {a: 1}\n    other: {b: 2}\n    condition: sel", "unused-detection"),  // LINT-03
            (id, "    sel: {a: 1}\n    other: {b: 2}\n    condition: all of them", "all-of-them"),
            (id, "    sel: {a: 1}\n    condition: 1 of them", "them-single-detection"),
            (id, "    sel: {a|contains: 'x**y'}\n    condition: sel", "double-wildcard"),  // LINT-04
            (id, "    sel: {EventID: '4624'}\n    condition: sel", "number-as-string"),
            (id, "    sel: {a: \"x\\ty\\u0001\"}\n    condition: sel", "control-character"),
            (id, "    sel: {a: '*login*'}\n    condition: sel", "wildcard-instead-of-modifier"),
            (id, "    sel: {a: 'login*'}\n    condition: sel", "wildcard-instead-of-modifier"),
            (id, "    sel: {a: 'C:\\Windows\\*'}\n    condition: sel", "escaped-wildcard"),
            (id, "    sel: {a|all: [x, y]}\n    condition: sel", "modifier-combination"),  // LINT-05
            (id, "    sel: {a|base64offset: x}\n    condition: sel", "modifier-combination"),
            (id, "    sel: {a|windash|contains|all: [' -a', ' -b']}\n    condition: sel", "modifier-combination"),
            (id, "    sel: {a|contains|contains: x}\n    condition: sel", "modifier-combination"),
            (id, "    sel: {a|contains|all: x}\n    condition: sel", "all-single-value"),
            (id, "    sel: {a: ['', null]}\n    condition: sel", "null-in-value-list"),
        ] as [(String, String?, String)])
    func warningIsReported(top: String, detection: String?, code: String) {
        let yaml = detection.map { Self.rule(top, detection: $0) } ?? Self.rule(top)
        #expect(Self.codes(yaml).contains(code), "\(Self.warnings(yaml))")
    }

    @Test func descriptionLongerThanTheSchemaAllowsIsAWarning() {
        let long = String(repeating: "d", count: 65_536)
        #expect(Self.codes(Self.rule(Self.id + "\ndescription: \(long)")) == ["description-too-long"])
        #expect(Self.codes(Self.rule(Self.id + "\ndescription: \(long.dropLast())")).isEmpty)
    }

    @Test func goodTagsPass() {
        let tags =
            "[attack.t1190, attack.t1078.004, attack.g0016, attack.s0002, attack.initial-access, attack.stealth, "
            + "cve.2021-44228, car.2016-04-005, detection.threat-hunting, stp.3k, tlp.amber-strict, d3fend.x]"
        #expect(Self.warnings(Self.rule(Self.id + "\ntags: " + tags)).isEmpty)
    }

    @Test func warningsArePositioned() throws {
        let w = Self.warnings(Self.rule(Self.id + "\ntags:\n    - attack.t1190\n    - nope.x"))
        let tag = try #require(w.first { $0.code == "tag-namespace" })
        #expect(tag.location?.line == 11)
        #expect(tag.location?.column == 7)
        #expect(tag.severity == .warning)
    }

    @Test func duplicateIdsAndTitlesAcrossDocuments() {
        let yaml = Self.rule() + "\n---\n" + Self.rule()
        let codes = Self.warnings(yaml).map(\.code)
        #expect(codes.filter { $0 == "duplicate-id" }.count == 1)
        #expect(codes.filter { $0 == "duplicate-title" }.count == 1)
    }

    @Test func fileNameConvention() {
        #expect(Set(Self.warnings(Self.rule(), path: "rules/Bad-Name.yml").map(\.code)) == ["file-name"])
        #expect(Self.warnings(Self.rule(), path: "rules/aws_console_login.yml").isEmpty)
        #expect(Set(Self.warnings(Self.rule(), path: "rules/aws_console_login.yaml").map(\.code)) == ["file-name"])
    }

    @Test func filterNamingNoLoadedRuleIsAWarningNotAnError() throws {
        let yaml =
            Self.rule(Self.id + "\nname: known") + """

                ---
                title: F
                id: 1c2d3e4f-5061-4b7c-9d8e-0f1a2b3c4d5e
                logsource: {product: aws}
                level: low
                filter:
                    rules:
                        - known
                        - Test rule
                    sel: {a: b}
                    condition: not sel
                """
        let w = Self.warnings(yaml)
        let missing = w.filter { $0.code == "filter-target-not-found" }
        #expect(missing.count == 1)
        #expect(missing.first?.message.contains("titles are not resolved") == true)
        #expect(missing.first?.location?.line == 18)
        #expect(w.contains { $0.code == "filter-level-status" })
    }
}
