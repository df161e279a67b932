import Testing

@testable import SigmaKit

/// §4 detection section structure (DT-01..DT-11).
struct LoaderDetectionTests {
    static func load(_ detection: String) -> RuleCollection {
        RuleLoader().load(yaml: "title: x\nlogsource: {product: aws}\ndetection:\n" + detection)
    }

    static func shape(_ node: DetectionNode) -> String {
        switch node {
        case .item(let item):
            return (item.field ?? "kw")
                + (item.modifiers.isEmpty ? "" : "|" + item.modifiers.map(\.rawValue).joined(separator: "|"))
        case .and(let parts): return "and(" + parts.map(shape).joined(separator: ",") + ")"
        case .or(let parts): return "or(" + parts.map(shape).joined(separator: ",") + ")"
        }
    }

    static func items(_ node: DetectionNode) -> [DetectionItem] {
        switch node {
        case .item(let item): return [item]
        case .and(let parts), .or(let parts): return parts.flatMap(items)
        }
    }

    // Structures that load: (detection text, shape of the first identifier, number of values of the first item)
    @Test(arguments: [
        ("    sel: {a: 1, b: x}\n    condition: sel\n", "and(a,b)", 1),  // DT-02
        ("    sel: {eventName: [CreateUser, DeleteUser]}\n    condition: sel\n", "eventName", 2),  // DT-03
        ("    sel:\n        - a: 1\n        - b: x\n    condition: sel\n", "or(a,b)", 1),  // DT-04
        ("    sel:\n        - foo\n        - c: 3\n    condition: sel\n", "or(kw,c)", 1),  // DT-05
        ("    sel: foo\n    condition: sel\n", "kw", 1),  // DT-06
        ("    sel: [foo, bar]\n    condition: sel\n", "kw", 2),  // KW-01
        ("    sel: {f: []}\n    condition: sel\n", "f", 0),  // DT-08
        ("    sel: {'my field': x, a.b.c: y}\n    condition: sel\n", "and(my field,a.b.c)", 1),  // DT-11
        ("    sel:\n        - a: 1\n          b: 2\n        - c: 3\n    condition: sel\n", "or(and(a,b),c)", 1),
        ("    sel: {a|contains|all: [x, y]}\n    condition: sel\n", "a|contains|all", 2),
        ("    sel: {'|all': [x, y]}\n    condition: sel\n", "kw|all", 2),
    ])
    func detectionStructure(detection: String, shape: String, valueCount: Int) throws {
        let c = Self.load(detection)
        #expect(c.errors.isEmpty, "\(c.errors)")
        let first = try #require(c.rules.first?.detections.first)
        #expect(Self.shape(first.root) == shape)
        #expect(first.name == "sel")
    }

    @Test func dt08EmptyListIsPassedToTheBuilderAsNoValues() throws {
        let c = Self.load("    sel: {f: []}\n    condition: sel\n")
        let detection = try #require(c.rules.first?.detections.first)
        let item = try #require(Self.items(detection.root).first)
        #expect(item.field == "f")
    }

    @Test func positionsOfIdentifiersAndItems() throws {
        let c = Self.load("    sel:\n        a: 1\n        b|contains: x\n    other: kw\n    condition: sel or other\n")
        let rule = try #require(c.rules.first)
        #expect(rule.detections.map(\.name) == ["sel", "other"])
        #expect(rule.detections.map(\.location.line) == [4, 7])
        let items = Self.items(rule.detections[0].root)
        #expect(items.map(\.location.line) == [5, 6])
        #expect(items.map(\.location.column) == [9, 9])
        #expect(rule.conditionTexts == ["sel or other"])
    }

    @Test func conditionListIsKept() throws {
        let c = Self.load("    a: {x: 1}\n    b: {y: 2}\n    condition:\n        - a\n        - b and not a\n")
        let rule = try #require(c.rules.first)
        #expect(rule.conditions.count == 2)
        #expect(rule.conditionTexts == ["a", "b and not a"])
    }

    // Structures that are rejected: (detection text, code, line, fragment)
    @Test(arguments: [
        ("    condition: sel\n", "invalid-detection", 4, "no search identifier"),  // DT-01
        ("    sel: {a: b}\n", "invalid-condition", 4, "no 'condition'"),
        ("    sel: {}\n    condition: sel\n", "invalid-detection", 4, "empty map"),  // DT-07
        ("    sel: []\n    condition: sel\n", "invalid-detection", 4, "empty list"),
        ("    sel: {f: [[a, b]]}\n    condition: sel\n", "invalid-detection", 4, "nested lists"),  // DT-09
        ("    sel: {f: {x: 1}}\n    condition: sel\n", "invalid-detection", 4, "is a map"),
        ("    sel:\n        f: a\n        f: b\n    condition: sel\n"
            + "", "duplicate-key", 6, "duplicate key 'f'"),  // DT-10
        ("    sel: {a: b}\n    condition: 3\n", "invalid-condition", 5, "must be a string"),
        ("    sel: {a: b}\n    condition: []\n", "invalid-condition", 5, "empty"),
        ("    sel: {a: b}\n    timeframe: 5m\n    condition: sel\n", "unsupported", 5, "timeframe"),
        ("    sel: {a: b}\n    condition: nope\n", "invalid-condition", 5, "nope"),
        ("    sel: {a: b}\n    condition: 1 of x*\n", "invalid-condition", 5, "x*"),
        ("    sel: {f|nosuch: b}\n    condition: sel\n", "unknown-modifier", 4, "nosuch"),
    ])
    func invalidDetectionIsRejected(detection: String, code: String, line: Int, fragment: String) throws {
        let c = Self.load(detection)
        #expect(c.rules.isEmpty)
        let error = try #require(c.errors.first)
        #expect(error.code == code, "\(error)")
        #expect(error.location?.line == line, "\(error)")
        #expect(error.message.contains(fragment), "\(error.message)")
    }

    @Test func unsupportedConstructsNameTheRule() throws {
        let c = Self.load("    sel: {a: b}\n    timeframe: 5m\n    condition: sel\n")
        let error = try #require(c.errors.first)
        #expect(error.message.hasPrefix("rule 'x': 'timeframe'"))
        #expect(error.location == SourceLocation(path: "<memory>", line: 5, column: 5))
    }

    @Test func missingOrMalformedDetectionSection() {
        #expect(
            RuleLoader().load(yaml: "title: x\nlogsource: {product: a}\n").errors.map(\.code) == ["missing-attribute"])
        #expect(
            RuleLoader().load(yaml: "title: x\nlogsource: {product: a}\ndetection: [a]\n").errors.map(\.code) == [
                "invalid-detection"
            ])
    }

    @Test func valuesKeepTheirOwnPositions() throws {
        // The builder receives RuleValues positioned at each element.
        let c = Self.load("    sel:\n        f:\n            - a\n            - 'b'\n    condition: sel\n")
        #expect(c.errors.isEmpty)
    }
}
