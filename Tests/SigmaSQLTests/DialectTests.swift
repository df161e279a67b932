import SigmaKit
@testable import SigmaSQL
import Testing

/// Quoting and escaping happen in one function per dialect: string literals, identifiers, LIKE patterns.
@Suite struct DialectTests {
    static let literals: [(SQLTarget, String, String)] = [
        (.athena, "it's", "'it''s'"),
        (.athena, "C:\\Windows", "'C:\\Windows'"),
        (.duckdb, "it's", "'it''s'"),
        (.duckdb, "C:\\Windows", "'C:\\Windows'"),
        // Spark reads backslash escapes in literals, and 'a''b' would be two literals concatenated.
        (.spark, "it's", "'it\\'s'"),
        (.spark, "C:\\Windows", "'C:\\\\Windows'"),
        (.spark, "%_*?", "'%_*?'"),
    ]

    @Test(arguments: literals)
    func stringLiteral(_ target: SQLTarget, _ text: String, _ expected: String) {
        #expect(target.dialect.stringLiteral(text) == expected)
    }

    static let identifiers: [(SQLTarget, String, String)] = [
        (.athena, "eventname", "eventname"),
        (.athena, "userIdentity.arn", "\"userIdentity.arn\""),
        (.athena, "order", "\"order\""),
        (.athena, "we\"ird", "\"we\"\"ird\""),
        (.duckdb, "eventTime", "eventTime"),
        (.spark, "userIdentity.arn", "`userIdentity.arn`"),
        (.spark, "a`b", "`a``b`"),
    ]

    @Test(arguments: identifiers)
    func identifier(_ target: SQLTarget, _ name: String, _ expected: String) {
        #expect(target.dialect.quoteIdentifier(name) == expected)
    }

    @Test(arguments: SQLTarget.allCases)
    func likeEscapesPercentUnderscoreAndBackslash(_ target: SQLTarget) {
        let pattern = LikePattern([.anyString, .literal("100%_a\\b"), .anyCharacter, .literal("'")])
        let rendered = target.dialect.like("x", pattern)
        let text = "%100\\%\\_a\\\\b_'"
        #expect(rendered == "x LIKE \(target.dialect.stringLiteral(text)) ESCAPE \(target.dialect.stringLiteral("\\"))")
    }

    @Test func sparkDoublesBackslashesOfTheEscapeClause() {
        #expect(SparkDialect().like("x", LikePattern([.literal("a_")])) == "x LIKE 'a\\\\_' ESCAPE '\\\\'")
        #expect(TrinoDialect().like("x", LikePattern([.literal("a_")])) == "x LIKE 'a\\_' ESCAPE '\\'")
    }

    @Test func likePatternMergesParts() {
        let pattern = LikePattern([.literal("a"), .literal("b"), .anyString, .anyString, .literal("")])
        #expect(pattern.parts == [.literal("ab"), .anyString])
        #expect(LikePattern([.literal("x")]).literalValue == "x")
        #expect(LikePattern([]).literalValue == "")
        #expect(LikePattern([.anyString]).matchesEverything)
    }

    @Test func jsonPathsQuoteUnusualKeys() {
        #expect(TrinoDialect().jsonScalar("c", JSONPath(["a", "b c"])) == "json_extract_scalar(c, '$.a[\"b c\"]')")
        #expect(DuckDBDialect().jsonScalar("e", JSONPath(["a", "_x"])) == "e ->> '$.a.\"_x\"'")
        #expect(SparkDialect().jsonScalar("e", JSONPath(["a", "b c"])) == "get_json_object(e, '$.a[\\'b c\\']')")
    }
}

/// The typed tree's builders: constants fold, nesting flattens, equalities become IN lists, `not` is two-valued.
@Suite struct ExpressionTests {
    let renderer = SQLRenderer(dialect: TrinoDialect())

    @Test func equalitiesOnOneOperandBecomeAnInList() {
        let x = SQLExpr.column("x")
        let expr = SQLExpr.or([
            .compare(.equal, x, .string("a")), .isNull(x), .compare(.equal, x, .string("b")),
            .compare(.equal, x, .string("a")),
        ])
        #expect(renderer.expression(expr) == "x IN ('a', 'b') OR x IS NULL")
    }

    @Test func constantsFold() {
        let x = SQLExpr.isNull(.column("x"))
        #expect(SQLExpr.and([.true, x]) == x)
        #expect(SQLExpr.and([.false, x]).constantValue == false)
        #expect(SQLExpr.or([.false, x]) == x)
        #expect(SQLExpr.or([.true, x]).constantValue == true)
        #expect(SQLExpr.or([]).constantValue == false)
    }

    @Test func twoValuedNegation() {
        let compare = SQLExpr.compare(.equal, .column("x"), .string("a"))
        #expect(renderer.expression(compare.negatedTwoValued) == "NOT COALESCE(x = 'a', FALSE)")
        // IS NULL is never NULL: no COALESCE needed.
        #expect(renderer.expression(SQLExpr.isNull(.column("x")).negatedTwoValued) == "x IS NOT NULL")
    }

    @Test func precedenceParentheses() {
        let a = SQLExpr.compare(.equal, .column("a"), .integer(1))
        let b = SQLExpr.compare(.equal, .column("b"), .integer(2))
        let c = SQLExpr.compare(.equal, .column("c"), .integer(3))
        #expect(renderer.expression(.and([.or([a, b]), c])) == "(a = 1 OR b = 2) AND c = 3")
        // AND inside OR keeps its parentheses: not needed by precedence, but how people write it.
        #expect(renderer.expression(.or([.and([a, b]), c])) == "(a = 1 AND b = 2) OR c = 3")
        #expect(renderer.expression(.not(.or([a, b]))) == "NOT (a = 1 OR b = 2)")
    }

    @Test func asciiLiteralsAreLoweredInTheQuery() {
        #expect(SQLExpr.lower(.string("ConsoleLogin")) == .string("consolelogin"))
        #expect(renderer.expression(.lower(.string("ÄBC"))) == "lower('ÄBC')")
    }
}

/// `|cidr` with IPv4 networks is a regex: it must accept exactly the addresses `IPNetwork.contains` accepts.
@Suite struct IPv4RegexTests {
    static let networks = [
        "192.168.0.0/23", "10.0.0.0/8", "0.0.0.0/0", "172.16.0.0/12", "1.2.3.4", "100.64.0.0/10",
        "203.0.113.128/25", "255.255.255.254/31",
    ]

    @Test(arguments: networks)
    func regexAgreesWithTheEngine(_ text: String) throws {
        let network = try IPNetwork(parsing: text)
        let regex = try Regex(IPv4Regex.pattern(for: network))
        var candidates = ["", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "::ffff:10.0.0.1", "10.0.0.1 ", "a.b.c.d"]
        let base = network.address
        for octet in 0..<4 {
            let edges = [0, 1, 9, 10, 15, 16, 31, 32, 63, 64, 99, 100, 127, 128, 191, 192, 199, 200, 249, 250, 254, 255]
            for value in edges {
                var parts = (0..<4).map { Int(base[$0]) }
                parts[octet] = value
                candidates.append(parts.map(String.init).joined(separator: "."))
                candidates.append(parts.enumerated().map { $0.offset == octet ? "0\($0.element)" : "\($0.element)" }
                    .joined(separator: "."))
            }
        }
        for candidate in candidates {
            let matched = (try? regex.wholeMatch(in: candidate)) != nil
            #expect(matched == network.contains(candidate), "\(text) vs '\(candidate)'")
        }
    }

    @Test func everyOctetRange() throws {
        for low in stride(from: 0, through: 255, by: 1) {
            for size in [1, 2, 4, 8, 16, 32, 64, 128, 256] where low % size == 0 && low + size <= 256 {
                let regex = try Regex("^" + IPv4Regex.range(low, low + size - 1) + "$")
                for value in 0...255 {
                    let inside = value >= low && value < low + size
                    let matched = (try? regex.wholeMatch(in: String(value))) != nil
                    #expect(matched == inside, "\(low)+\(size): \(value)")
                }
            }
        }
    }
}
