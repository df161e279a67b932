import SigmaKit
import Testing

/// Condition grammar (§11 CND-01 .. CND-10) and selector resolution.
struct ConditionTests {
    static let here = SourceLocation(path: "rule.yml", line: 7, column: 16)

    static func parse(_ text: String) throws(RuleError) -> ConditionExpression {
        try ConditionParser.parse(text, at: here)
    }

    static func id(_ name: String) -> ConditionExpression { .identifier(name) }

    // MARK: Accepted conditions and their trees

    @Test(
        arguments: [
            // CND-01 basics
            ("sel", id("sel")),
            ("sel-1", id("sel-1")),
            ("sel_1", id("sel_1")),
            ("1", id("1")),
            ("notsel", id("notsel")),
            ("order", id("order")),
            ("andy or oracle", .or([id("andy"), id("oracle")])),
            ("a and b", .and([id("a"), id("b")])),
            ("a or b or c", .or([id("a"), id("b"), id("c")])),
            ("a and b and c and d", .and([id("a"), id("b"), id("c"), id("d")])),
            // CND-03 precedence
            ("a or b and not c", .or([id("a"), .and([id("b"), .not(id("c"))])])),
            ("not a and b", .and([.not(id("a")), id("b")])),
            ("not 1 of filter*", .not(.selector(.one, pattern: "filter*"))),
            ("a and b or c and d", .or([.and([id("a"), id("b")]), .and([id("c"), id("d")])])),
            ("a or b and c or d", .or([id("a"), .and([id("b"), id("c")]), id("d")])),
            ("not not a", .not(.not(id("a")))),
            ("(a or b) and c", .and([.or([id("a"), id("b")]), id("c")])),
            ("(a and b) and c", .and([.and([id("a"), id("b")]), id("c")])),
            ("a and (b and c)", .and([id("a"), .and([id("b"), id("c")])])),
            ("((a))", id("a")),
            ("not (a or b)", .not(.or([id("a"), id("b")]))),
            ("(a)and(b)", .and([id("a"), id("b")])),
            // CND-04 selectors
            ("1 of sel*", .selector(.one, pattern: "sel*")),
            ("any of sel*", .selector(.one, pattern: "sel*")),
            ("all of sel*", .selector(.all, pattern: "sel*")),
            ("1 of them", .selector(.one, pattern: "them")),
            ("all of them", .selector(.all, pattern: "them")),
            ("1 of *", .selector(.one, pattern: "*")),
            ("1 of _*", .selector(.one, pattern: "_*")),
            ("all of *_x*", .selector(.all, pattern: "*_x*")),
            (
                "selection and not 1 of filter_main_*",
                .and([id("selection"), .not(.selector(.one, pattern: "filter_main_*"))])
            ),
            ("sel and 1 of selection_status_*", .and([id("sel"), .selector(.one, pattern: "selection_status_*")])),
            ("1 of sel* and all of f*", .and([.selector(.one, pattern: "sel*"), .selector(.all, pattern: "f*")])),
            // CND-10 whitespace and newlines
            ("  sel\n  and\tnot\r\n filter  ", .and([id("sel"), .not(id("filter"))])),
        ] as [(String, ConditionExpression)])
    func parses(text: String, expected: ConditionExpression) throws {
        #expect(try Self.parse(text) == expected)
    }

    // MARK: Rejected conditions

    @Test(
        arguments: [
            // CND-02 keywords are lower-case
            ("sel1 AND sel2", 6, "'AND'"),
            ("sel1 OR sel2", 6, "'OR'"),
            ("NOT sel", 1, "'NOT'"),
            ("1 Of sel*", 3, "'Of'"),
            ("ALL of sel*", 1, "'ALL'"),
            ("Any of sel*", 1, "'Any'"),
            ("1 of THEM and Not x", 15, "'Not'"),
            // CND-04: only 1 / any / all
            ("2 of sel*", 1, "'2 of'"),
            ("sel of x", 1, "'sel of'"),
            // patterns and identifiers
            ("1 of sel-*", 6, "'-'"),
            ("1 of sel-1", 6, "'-'"),
            ("sel*", 1, "wildcards"),
            ("sel.x", 4, "'.'"),
            ("sel?", 4, "'?'"),
            ("them", 1, "'them'"),
            ("1 of", 3, "pattern"),
            ("1 of (sel)", 3, "pattern"),
            ("all of or", 8, "pattern"),
            // CND-08
            ("sel | count() > 5", 5, "correlation"),
            ("sel | near other", 5, "correlation"),
            ("sel and near other", 9, "'near'"),
            // CND-10 empty, dangling, unbalanced
            ("", 0, "empty"),
            ("   \n ", 0, "empty"),
            ("sel and", 5, "ends after 'and'"),
            ("sel or not", 8, "ends after 'not'"),
            ("and sel", 1, "'and'"),
            ("sel and or x", 9, "'or'"),
            ("(sel", 1, "never closed"),
            ("sel)", 4, "no matching"),
            ("()", 2, "empty parentheses"),
            ("sel x", 5, "expected 'and', 'or' or ')'"),
            ("sel (x)", 5, "expected"),
            ("sel not x", 5, "'not'"),
            ("of sel", 1, "'of'"),
            ("sel ()", 5, "expected"),
        ] as [(String, Int, String)])
    func rejects(text: String, offset: Int, fragment: String) {
        do {
            let parsed = try Self.parse(text)
            Issue.record("'\(text)' parsed as \(parsed)")
        } catch {
            #expect(error.code == .invalidCondition)
            #expect(error.message.contains(fragment), "message: \(error.message)")
            // The column points at the offending token (offset 0 = the condition's own position).
            let expectedColumn = offset == 0 ? Self.here.column : Self.here.column + offset - 1
            #expect(error.location?.column == expectedColumn, "message: \(error.message)")
            #expect(error.location?.line == Self.here.line)
            #expect(error.location?.path == "rule.yml")
        }
    }

    @Test func multiLineErrorsPointAtTheLine() {
        do {
            _ = try Self.parse("sel\nand\n  AND x")
            Issue.record("parsed")
        } catch {
            #expect(error.location?.line == Self.here.line + 2)
            #expect(error.location?.column == Self.here.column + 2)
            #expect(error.message.contains("'AND'"))
        }
    }

    // MARK: Hostile input

    @Test(arguments: [10_000, 201])
    func deepParenthesesAreAResourceLimit(depth: Int) {
        let text = String(repeating: "(", count: depth) + "sel" + String(repeating: ")", count: depth)
        #expect(throws: RuleError.self) { try Self.parse(text) }
        do {
            _ = try Self.parse(text)
        } catch {
            #expect(error.code == .resourceLimit)
            #expect(error.message.contains("200"))
        }
    }

    @Test func deepNotIsAResourceLimit() {
        let text = String(repeating: "not ", count: 10_000) + "sel"
        do {
            _ = try Self.parse(text)
            Issue.record("parsed")
        } catch {
            #expect(error.code == .resourceLimit)
        }
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let depth = ConditionParser.maxNestingDepth
        let text = String(repeating: "(", count: depth) + "sel" + String(repeating: ")", count: depth)
        #expect(try Self.parse(text) == Self.id("sel"))
        let nots = String(repeating: "not ", count: depth) + "sel"
        var expected = Self.id("sel")
        for _ in 0..<depth { expected = .not(expected) }
        #expect(try Self.parse(nots) == expected)
        // An unclosed but deep prefix is still an ordinary syntax error.
        #expect(throws: RuleError.self) { try Self.parse(String(repeating: "(", count: 50) + "sel") }
    }

    @Test func hugeTokensAreCutInMessages() {
        let huge = String(repeating: "x", count: 1_000_000)
        for text in ["sel \(huge)", "\(huge)*", "2\(huge) of sel*", "1 of \(huge)-"] {
            do {
                _ = try Self.parse(text)
                Issue.record("parsed")
            } catch {
                #expect(error.message.count < 300, "\(error.message.prefix(300))")
            }
        }
    }

    @Test func longFlatChainsAreLinear() throws {
        let count = 200_000
        let text = (0..<count).map { "s\($0 % 7)" }.joined(separator: " or ")
        let parsed = try Self.parse(text)
        guard case .or(let parts) = parsed else {
            Issue.record("not an or")
            return
        }
        #expect(parts.count == count)
    }

    // MARK: Resolution (CND-04 .. CND-07)

    static let names = ["sel1", "selection", "sel-dash", "sel1_extra", "filter_a", "filter_b", "_hidden", "kw"]

    @Test(
        arguments: [
            ("1 of sel*", .or(["sel1", "selection", "sel-dash", "sel1_extra"].map(id))),
            ("any of sel*", .or(["sel1", "selection", "sel-dash", "sel1_extra"].map(id))),
            ("all of filter_*", .and([id("filter_a"), id("filter_b")])),
            ("1 of sel1", id("sel1")),
            ("1 of *1", id("sel1")),
            ("1 of *_extra", id("sel1_extra")),
            ("1 of them", .or(["sel1", "selection", "sel-dash", "sel1_extra", "filter_a", "filter_b", "kw"].map(id))),
            ("all of *", .and(["sel1", "selection", "sel-dash", "sel1_extra", "filter_a", "filter_b", "kw"].map(id))),
            ("1 of _*", id("_hidden")),
            ("sel1 and _hidden", .and([id("sel1"), id("_hidden")])),
            ("kw and not 1 of filter*", .and([id("kw"), .not(.or([id("filter_a"), id("filter_b")]))])),
            ("1 of s*l*n", id("selection")),
        ] as [(String, ConditionExpression)])
    func resolves(text: String, expected: ConditionExpression) throws {
        let resolved = try Self.parse(text).resolved(identifiers: Self.names, at: Self.here)
        #expect(resolved == expected)
    }

    @Test(arguments: [
        ("1 of nothing*", "doesn't match"),
        ("all of x", "doesn't match"),
        ("sel1 and missing", "'missing'"),
        ("1 of *hidden", "doesn't match"),
    ])
    func resolutionRejects(text: String, fragment: String) throws {
        let parsed = try Self.parse(text)
        do throws(RuleError) {
            let resolved = try parsed.resolved(identifiers: Self.names, at: Self.here)
            Issue.record("resolved to \(resolved)")
        } catch {
            #expect(error.code == .invalidCondition)
            #expect(error.message.contains(fragment), "message: \(error.message)")
            #expect(error.location == Self.here)
        }
    }

    @Test func themWithOnlyPrivateIdentifiersMatchesNothing() throws {
        #expect(throws: RuleError.self) {
            try Self.parse("1 of them").resolved(identifiers: ["_a", "_b"], at: Self.here)
        }
    }

    @Test func referencedIdentifiers() throws {
        let resolved = try Self.parse("kw and not 1 of filter* or (sel1 and not sel1)")
            .resolved(identifiers: Self.names, at: Self.here)
        #expect(resolved.referencedIdentifiers == ["kw", "filter_a", "filter_b", "sel1"])
        #expect(try Self.parse("1 of sel* and x").referencedIdentifiers == ["x"])
    }
}
