import Testing

@testable import SigmaKit

/// §2 rule metadata (MD-01..MD-12) and §3 logsource (LS-01, LS-02).
struct LoaderMetadataTests {
    /// A rule whose top level is `lines` plus a valid logsource and detection.
    static func doc(_ lines: String) -> String {
        lines + "\nlogsource:\n    product: aws\ndetection:\n    sel: {a: b}\n    condition: sel\n"
    }

    static let uuid = "929a690e-bef0-4204-a928-ef5e620d6fcc"

    // Documents that must load, with a check of what was stored.
    @Test(arguments: [
        ("title: x", "title", "x"),
        ("title: '\(String(repeating: "t", count: 256))'", "title.count", "256"),
        ("title: x\nid: 929A690E-BEF0-4204-A928-EF5E620D6FCC", "id", uuid),
        ("title: x\nid: '{929a690ebef04204a928ef5e620d6fcc}'", "id", uuid),
        ("title: x\nname: my_rule", "name", "my_rule"),
        ("title: x\nstatus: Experimental", "status", "experimental"),
        ("title: x\nstatus: stable", "status", "stable"),
        ("title: x\nlevel: HIGH", "level", "high"),
        ("title: x\ndate: 2024-01-05", "date", "2024-01-05"),
        ("title: x\ndate: '2024-01-05'", "date", "2024-01-05"),
        ("title: x\ndate: 2024/1/5", "date", "2024-01-05"),
        ("title: x\nmodified: 2023/12/31", "modified", "2023-12-31"),
        (
            "title: x\ntags: [attack.T1190, attack.initial-access, foo.bar.baz]", "tags",
            "attack.T1190,attack.initial-access,foo.bar.baz"
        ),
        (
            "title: x\nrelated:\n    - id: \(uuid)\n      type: derived\n    - id: \(uuid)\n      type: Correlation",
            "related", "derived,correlation"
        ),
        ("title: x\nreferences: [https://a, https://b]", "references", "https://a,https://b"),
        ("title: x\nfalsepositives:\n    - Unknown\n    - Admins", "falsepositives", "Unknown,Admins"),
        ("title: x\nfields: [CommandLine, User]", "fields", "CommandLine,User"),
        ("title: x\nscope: [server]", "scope", "server"),
        ("title: x\nauthor: me\ndescription: d\nlicense: DRL", "author+description+license", "me|d|DRL"),
        ("title: x", "taxonomy", "sigma"),
        ("title: x\ntaxonomy: custom", "taxonomy", "custom"),
        (
            "title: x\nregression_tests_path: a/b\nsimulation: [{type: atomic}]", "custom",
            "regression_tests_path,simulation"
        ),
        ("title: x\nfields: ~\nauthor:", "fields", ""),
    ])
    func validMetadataLoads(yaml: String, attribute: String, expected: String) throws {
        let c = RuleLoader().load(yaml: Self.doc(yaml))
        #expect(c.errors.isEmpty, "\(c.errors)")
        let m = try #require(c.rules.first).metadata
        let actual: String
        switch attribute {
        case "title": actual = m.title
        case "title.count": actual = String(m.title.count)
        case "id": actual = m.id ?? "nil"
        case "name": actual = m.name ?? "nil"
        case "status": actual = m.status?.rawValue ?? "nil"
        case "level": actual = m.level?.rawValue ?? "nil"
        case "date": actual = m.date ?? "nil"
        case "modified": actual = m.modified ?? "nil"
        case "tags": actual = m.tags.joined(separator: ",")
        case "related": actual = m.related.map(\.type.rawValue).joined(separator: ",")
        case "references": actual = m.references.joined(separator: ",")
        case "falsepositives": actual = m.falsePositives.joined(separator: ",")
        case "fields": actual = m.fields.joined(separator: ",")
        case "scope": actual = m.scope.joined(separator: ",")
        case "author+description+license":
            actual = [m.author, m.description, m.license].map { $0 ?? "nil" }.joined(separator: "|")
        case "taxonomy": actual = m.taxonomy
        case "custom": actual = m.customAttributes.map(\.key).joined(separator: ",")
        default: actual = "?"
        }
        #expect(actual == expected)
    }

    // Documents that must be rejected: (yaml, error code, line, fragment of the message).
    @Test(arguments: [
        ("name: x", "missing-attribute", 1, "no 'title'"),  // MD-01
        ("title: 12", "invalid-attribute", 1, "must be a string"),
        ("title: '\(String(repeating: "t", count: 257))'", "invalid-attribute", 1, "257 characters"),
        ("title: x\nid: abc", "invalid-attribute", 2, "UUID"),  // MD-02
        ("title: x\nid: 929a690e-bef0-4204-a928-ef5e620d6fc", "invalid-attribute", 2, "UUID"),
        ("title: x\nname: ''", "invalid-attribute", 2, "must not be empty"),  // MD-03
        ("title: x\nname: [a]", "invalid-attribute", 2, "must be a string"),
        ("title: x\nstatus: obsolete", "invalid-attribute", 2, "'status' must be one of"),  // MD-04
        ("title: x\nlevel: severe", "invalid-attribute", 2, "'level' must be one of"),  // MD-05
        ("title: x\ndate: 2024-1-5", "invalid-attribute", 2, "YYYY-MM-DD"),  // MD-06
        ("title: x\ndate: '2024-02-30'", "invalid-attribute", 2, "not a real date"),
        ("title: x\nmodified: 20240105", "invalid-attribute", 2, "YYYY-MM-DD"),
        ("title: x\ntags: [t1190]", "invalid-attribute", 2, "has no namespace"),  // MD-07
        ("title: x\ntags: attack.t1190", "invalid-attribute", 2, "must be a list"),
        ("title: x\ntags: [1]", "invalid-attribute", 2, "must be a string"),
        ("title: x\nrelated:\n    - id: \(uuid)\n"
            + "      type: obsoletes", "invalid-attribute", 4, "type must be one of"),  // MD-08
        ("title: x\nrelated:\n    - type: derived", "missing-attribute", 3, "needs an 'id'"),
        ("title: x\nrelated:\n    - id: \(uuid)", "missing-attribute", 3, "needs a 'type'"),
        ("title: x\nrelated:\n    - id: nope\n      type: derived", "invalid-attribute", 3, "must be a UUID"),
        ("title: x\nfields: CommandLine", "invalid-attribute", 2, "'fields' must be a list"),  // MD-09
        ("title: x\nreferences: https://x", "invalid-attribute", 2, "'references' must be a list"),
        ("title: x\nfalsepositives: Unknown", "invalid-attribute", 2, "'falsepositives' must be a list"),
        ("title: x\nscope: server", "invalid-attribute", 2, "'scope' must be a list"),
        ("title: x\nauthor: [a, b]", "invalid-attribute", 2, "'author' must be a string"),
        ("title: x\ndescription: {a: b}", "invalid-attribute", 2, "'description' must be a string"),
        ("title: x\nlicense: 1", "invalid-attribute", 2, "'license' must be a string"),
        ("title: x\ntaxonomy: ''", "invalid-attribute", 2, "taxonomy"),  // MD-10
    ])
    func invalidMetadataIsRejected(yaml: String, code: String, line: Int, fragment: String) throws {
        let c = RuleLoader().load(yaml: Self.doc(yaml))
        #expect(c.rules.isEmpty)
        let error = try #require(c.errors.first)
        #expect(error.code == code)
        #expect(error.location?.line == line)
        #expect(error.message.contains(fragment), "\(error.message)")
    }

    @Test func allErrorsOfADocumentAreReported() {
        let c = RuleLoader().load(yaml: "title: 1\nid: x\nlevel: nope\ndetection: 3\n")
        #expect(c.documentsRejected == 1)
        #expect(c.errors.map(\.location?.line) == [1, 1, 2, 3, 4])  // title, missing logsource, id, level, detection
    }

    @Test func customAttributesKeepTheirValuesInOrder() throws {
        let c = RuleLoader().load(yaml: Self.doc("title: x\nz_custom: 3\na_custom: {k: [1, yes]}"))
        let custom = try #require(c.rules.first).metadata.customAttributes  // MD-11
        #expect(custom.map(\.key) == ["z_custom", "a_custom"])
        #expect(custom[1].value == .mapping([(key: "k", value: .sequence([.scalar(.int(1)), .scalar(.bool(true))]))]))
    }

    @Test func informationalAttributesDoNotChangeDetection() throws {
        // MD-12: fields/falsepositives/... are kept, detection is the same with or without them.
        let plain = try #require(RuleLoader().load(yaml: Self.doc("title: x")).rules.first)
        let annotated = try #require(
            RuleLoader().load(
                yaml: Self.doc(
                    "title: x\nfields: [a]\nfalsepositives: [b]\nscope: [c]\nlicense: d\nauthor: e\nreferences: [f]")
            ).rules.first)
        #expect(
            plain.detections.map { LoaderDetectionTests.shape($0.root) }
                == annotated.detections.map { LoaderDetectionTests.shape($0.root) })
        #expect(
            plain.detections.flatMap { LoaderDetectionTests.items($0.root).map(\.tests) }
                == annotated.detections.flatMap { LoaderDetectionTests.items($0.root).map(\.tests) })
        #expect(plain.conditions == annotated.conditions)
        #expect(annotated.metadata.fields == ["a"])
    }

    // MARK: LS-01, LS-02

    @Test(arguments: [
        ("title: x\ndetection:\n    sel: {a: b}\n    condition: sel\n", "missing-attribute", "no 'logsource'"),
        (
            "title: x\nlogsource: aws\ndetection:\n    sel: {a: b}\n    condition: sel\n", "invalid-attribute",
            "must be a map"
        ),
        (
            "title: x\nlogsource: {definition: x}\ndetection:\n    sel: {a: b}\n    condition: sel\n",
            "invalid-attribute", "at least one of"
        ),
        (
            "title: x\nlogsource: {product: 1}\ndetection:\n    sel: {a: b}\n    condition: sel\n", "invalid-attribute",
            "must be a string"
        ),
    ])
    func invalidLogsourceIsRejected(yaml: String, code: String, fragment: String) throws {
        let c = RuleLoader().load(yaml: yaml)
        let error = try #require(c.errors.first)
        #expect(error.code == code)
        #expect(error.message.contains(fragment))
    }

    @Test func logsourceIsKeptExactlyWithCustomKeys() throws {
        let c = RuleLoader().load(
            yaml:
                "title: x\nlogsource:\n    product: AWS\n    service: CloudTrail\n    category: c\n    definition: d\n"
                + "    custom_key: v\ndetection:\n    sel: {a: b}\n    condition: sel\n")
        let source = try #require(c.rules.first).logsource
        #expect(
            source
                == LogSource(
                    category: "c", product: "AWS", service: "CloudTrail", definition: "d", custom: ["custom_key": "v"]))
        #expect(!LogSource(product: "aws").isContained(in: source))  // LS-02: case-sensitive
    }
}
