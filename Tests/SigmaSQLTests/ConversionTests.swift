import SigmaKit
@testable import SigmaSQL
import Testing

/// Errors name the construct, the rule and the dialect (D13); warnings say what the layout cannot hold.
@Suite struct ConversionTests {
    func rule(_ detection: String, title: String = "T") throws -> SigmaRule {
        let yaml = """
            title: \(title)
            id: 5a0000ff-0000-4000-8000-0000000000ff
            logsource:
                product: aws
                service: cloudtrail
            detection:
            \(detection)
            """
        let collection = RuleLoader().load(yaml: yaml, path: "test.yml")
        #expect(collection.errors.isEmpty, "\(collection.errors)")
        return try #require(collection.rules.first)
    }

    static let refusals: [(SQLTarget, String, String)] = [
        (.athena, "    keywords:\n        - 'x'\n    condition: keywords", "keyword search"),
        (.spark, "    sel:\n        sourceIPAddress|cidr: '2001:db8::/32'\n    condition: sel", "IPv6"),
        (.duckdb, "    sel:\n        sourceIPAddress|cidr: '2001:db8::/32'\n    condition: sel", "IPv6"),
        (.athena, "    sel:\n        userIdentity|contains: 'Root'\n    condition: sel", "struct column"),
        (.cloudTrailLake, "    sel:\n        requestParameters|contains: 'x'\n    condition: sel",
         "map<string,string>"),
        (.athena, "    sel:\n        resources|contains: 'x'\n    condition: sel", "resources"),
        (.duckdb, "    sel:\n        'we\"ird': 'x'\n    condition: sel", "quotes"),
    ]

    @Test(arguments: refusals)
    func refusedWithTheConstructTheRuleAndTheDialect(
        _ target: SQLTarget, _ detection: String, _ reason: String
    ) throws {
        let rule = try rule(detection, title: "Refused rule")
        #expect(throws: ConversionError.self) { try SQLConverter(target: target).convert(rule) }
        do {
            _ = try SQLConverter(target: target).convert(rule)
        } catch {
            #expect(error.ruleTitle == "Refused rule")
            #expect(error.target == target)
            #expect(error.description.contains("cannot be converted to \(target.rawValue)"))
            #expect(error.description.contains("Refused rule"))
            #expect(error.description.contains(reason), "\(error.description)")
            #expect(error.location?.path == "test.yml")
        }
    }

    @Test func ipv6CidrIsNativeOnTrino() throws {
        let rule = try rule("    sel:\n        sourceIPAddress|cidr: '2001:db8::/32'\n    condition: sel")
        let query = try SQLConverter(target: .athena).convert(rule)
        #expect(query.sql.contains("contains('2001:db8:0:0:0:0:0:0/32', TRY_CAST(sourceipaddress AS ipaddress))"))
        #expect(query.sql.contains("strpos(sourceipaddress, ':') > 0"))
    }

    @Test func aFieldOutsideTheAthenaTableIsAlwaysMissing() throws {
        let rule = try rule("    sel:\n        status: 'success'\n    condition: sel")
        let query = try SQLConverter(target: .athena).convert(rule)
        #expect(query.warnings.contains { $0.contains("'status' is not a column") })
        #expect(query.warnings.contains { $0.contains("can never match") })
        #expect(query.sql.contains("WHERE FALSE"))
        // In the JSON layouts the field is read like any other path.
        let duck = try SQLConverter(target: .duckdb).convert(rule)
        #expect(duck.warnings.isEmpty)
        #expect(duck.sql.contains("json_tree(event, '$.status')"))
    }

    @Test func existsOnATypedColumnWarns() throws {
        let rule = try rule("    sel:\n        errorCode|exists: true\n    condition: sel")
        let athena = try SQLConverter(target: .athena).convert(rule)
        #expect(athena.sql.contains("errorcode IS NOT NULL"))
        #expect(athena.warnings.contains { $0.contains("D7") })
        let duck = try SQLConverter(target: .duckdb).convert(rule)
        #expect(duck.warnings.isEmpty)
        #expect(duck.sql.contains("EXISTS (SELECT 1 FROM json_tree(event, '$.errorCode')"))
    }

    @Test func objectTextIsUnescapedOnlyWhenThePatternCouldTellTheDifference() throws {
        let plain = try rule("    sel:\n        requestParameters|contains: 'Suspended'\n    condition: sel")
        let quoted = try rule("    sel:\n        requestParameters|contains: '\"s3:GetObject\"'\n    condition: sel")
        let converter = SQLConverter(target: .athena)
        #expect(try converter.convert(plain).sql.contains("lower(requestparameters) LIKE '%suspended%' ESCAPE '\\'"))
        #expect(try converter.convert(quoted).sql.contains("replace(replace(replace("))
    }

    static let unescapeCases: [(String, Bool)] = [
        ("*Suspended*", false), ("*\"Allow\"*", true), ("*a?b*", true), ("*C:\\x*", true), ("*nVersion*", true),
        ("*Failure*", true), ("*x/y*", true), ("Success", false), ("*SUSPENDED", false),
    ]

    @Test(arguments: unescapeCases)
    func needsUnescape(_ value: String, _ expected: Bool) throws {
        let parsed = SigmaString(parsing: value)
        #expect(DetectionConverter.needsUnescape(.pattern(parsed, caseSensitive: false)) == expected)
    }

    @Test func correlationBecomesAWindowQuery() throws {
        let collection = try Fixtures.loadRuleFile("correlations.yml")
        let correlation = try #require(collection.correlations.first { $0.type == .eventCount })
        let query = try SQLConverter(target: .athena).convert(correlation, in: collection)
        let window = "count(*) OVER (PARTITION BY group_1 ORDER BY event_seconds "
            + "RANGE BETWEEN 600 PRECEDING AND CURRENT ROW)"
        #expect(query.sql.contains(window))
        #expect(query.sql.contains("WHERE correlation_value >= 3"))
        #expect(query.warnings.contains { $0.contains("D11") })
    }

    @Test func correlationAliasesReadEachRulesField() throws {
        let yaml = """
            title: Login
            id: 5a0000f1-0000-4000-8000-0000000000f1
            name: login
            logsource:
                product: aws
                service: cloudtrail
            detection:
                sel:
                    eventName: 'ConsoleLogin'
                condition: sel
            ---
            title: Key
            id: 5a0000f2-0000-4000-8000-0000000000f2
            name: key
            logsource:
                product: aws
                service: cloudtrail
            detection:
                sel:
                    eventName: 'CreateAccessKey'
                condition: sel
            ---
            title: Login then key for the same user
            id: 5a0000f3-0000-4000-8000-0000000000f3
            correlation:
                type: temporal
                rules:
                    - login
                    - key
                aliases:
                    user:
                        login: userIdentity.userName
                        key: requestParameters.userName
                group-by:
                    - user
                timespan: 1h
                condition:
                    gte: 2
            """
        let collection = RuleLoader().load(yaml: yaml, path: "aliases.yml")
        #expect(collection.errors.isEmpty, "\(collection.errors)")
        let correlation = try #require(collection.correlations.first)
        let query = try SQLConverter(target: .duckdb).convert(correlation, in: collection)
        #expect(query.sql.contains("lower(CASE WHEN lower(event ->> '$.eventName') = 'consolelogin' "
            + "THEN event ->> '$.userIdentity.userName' WHEN lower(event ->> '$.eventName') = 'createaccesskey' "
            + "THEN event ->> '$.requestParameters.userName' END) AS group_1"), "\(query.sql)")
        #expect(query.sql.contains("RANGE BETWEEN 3600 PRECEDING AND CURRENT ROW"))
    }

    @Test func temporalOrderedIsRefused() throws {
        let collection = try Fixtures.loadRuleFile("correlations.yml")
        let correlation = try #require(collection.correlations.first { $0.type == .temporalOrdered })
        #expect(throws: ConversionError.self) { try SQLConverter(target: .duckdb).convert(correlation, in: collection) }
    }

    @Test func setAsideRulesOfOtherLogSources() throws {
        let yaml = """
            title: Windows
            logsource:
                product: windows
            detection:
                sel:
                    EventID: 4624
                condition: sel
            """
        let collection = RuleLoader().load(yaml: yaml, path: "w.yml")
        let results = SQLConverter(target: .duckdb).convert(collection: collection)
        guard case .setAside(_, let title, _)? = results.first else {
            Issue.record("expected the rule to be set aside: \(results)")
            return
        }
        #expect(title == "Windows")
    }
}
