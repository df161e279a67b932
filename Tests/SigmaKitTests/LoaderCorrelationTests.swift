import Testing

@testable import SigmaKit

/// §15 correlation parsing and validation (COR-01..COR-08, COR-20) and §13 filters (FLT-01, FLT-02).
struct LoaderCorrelationTests {
    static let baseRules = """
        title: Failed login
        id: 5638f7c0-ac70-491d-8465-2a65075e0d86
        name: failed_login
        logsource: {product: aws}
        detection:
            sel: {errorCode: Failed}
            condition: sel
        ---
        title: Success
        name: success
        logsource: {product: aws}
        detection:
            sel: {errorCode: null}
            condition: sel

        """

    static func correlation(_ body: String, extra: String = "") -> String {
        baseRules + "---\ntitle: Correlation\nname: corr\n" + extra + "correlation:\n" + body
    }

    static func load(_ yaml: String) -> RuleCollection { RuleLoader().load(yaml: yaml) }

    // Correlations that load, with a description of the result.
    @Test(arguments: [
        (
            "    type: event_count\n    rules: [failed_login]\n    group-by: [user]\n    timespan: 1h\n"
                + "    condition: {gte: 100}\n",
            "event_count rules=failed_login group=user span=3600 cond=gte 100.0 generate=false"
        ),
        (
            "    type: Event_Count\n    rules: failed_login\n    timespan: 90m\n    condition: {gt: '2'}\n",
            "event_count rules=failed_login group= span=5400 cond=gt 2.0 generate=false"
        ),
        (
            "    type: value_count\n    rules: [5638F7C0-AC70-491D-8465-2A65075E0D86]\n    group-by: user\n"
                + "    timespan: 1d\n    condition: {field: ip, lt: 3}\n",
            "value_count rules=5638F7C0-AC70-491D-8465-2A65075E0D86 group=user span=86400 cond=lt 3.0 field=ip"
                + " generate=false"
        ),
        (
            "    type: temporal\n    rules: [failed_login, success]\n    timespan: 5m\n",
            "temporal rules=failed_login,success group= span=300 cond=gte 2.0 generate=false"
        ),
        (
            "    type: temporal_ordered\n    rules: [failed_login, success]\n    timespan: 1M\n    generate: true\n",
            "temporal_ordered rules=failed_login,success group= span=2629746 cond=gte 2.0 generate=true"
        ),
        (
            "    type: temporal\n    timespan: 1w\n    condition: failed_login and not success\n",
            "temporal rules=failed_login,success group= span=604800 cond=expr generate=false"
        ),
        (
            "    type: value_sum\n    rules: [failed_login]\n    timespan: 1y\n    condition: {field: [bytes], "
                + "neq: 1.5}\n",
            "value_sum rules=failed_login group= span=31556952 cond=neq 1.5 field=bytes generate=false"
        ),
        (
            "    type: value_percentile\n    rules: [failed_login]\n    timespan: 10s\n"
                + "    condition: {field: x, percentile: 95, gte: 10}\n",
            "value_percentile rules=failed_login group= span=10 cond=gte 10.0 field=x p=95.0 generate=false"
        ),
        (
            "    type: value_median\n    rules: [failed_login]\n    timespan: 10s\n    condition: {field: x, eq: 10}\n",
            "value_median rules=failed_login group= span=10 cond=eq 10.0 field=x generate=false"
        ),
    ])
    func validCorrelationsLoad(body: String, expected: String) throws {
        let c = Self.load(Self.correlation(body))
        #expect(c.errors.isEmpty, "\(c.errors)")
        let corr = try #require(c.correlations.first)
        var cond = ""
        switch corr.condition {
        case .threshold(let op, let value, let field, let percentile):
            cond =
                "\(op.rawValue) \(value)" + (field.isEmpty ? "" : " field=" + field.joined(separator: ","))
                + (percentile.map { " p=\($0)" } ?? "")
        case .notEqual(let value, let field, _):
            cond = "neq \(value)" + (field.isEmpty ? "" : " field=" + field.joined(separator: ","))
        case .expression: cond = "expr"
        }
        let description =
            "\(corr.type.rawValue) rules=\(corr.rules.joined(separator: ",")) "
            + "group=\(corr.groupBy.joined(separator: ",")) span=\(corr.timespan) cond=\(cond) "
            + "generate=\(corr.generate)"
        #expect(description == expected)
    }

    // Correlations rejected on their own: (body, fragment)
    @Test(arguments: [
        (
            "    type: sequence\n    rules: [failed_login]\n    timespan: 5m\n    condition: {gte: 1}\n",
            "type must be one of"
        ),  // COR-02
        ("    rules: [failed_login]\n    timespan: 5m\n    condition: {gte: 1}\n", "no 'type'"),
        ("    type: event_count\n    timespan: 5m\n    condition: {gte: 1}\n", "no 'rules'"),  // COR-03
        (
            "    type: event_count\n    rules: [failed_login, failed_login]\n    timespan: 5m\n"
                + "    condition: {gte: 1}\n",
            "twice"
        ),  // COR-20
        (
            "    type: event_count\n    rules: [failed_login]\n    group-by: {a: b}\n    timespan: 5m\n"
                + "    condition: {gte: 1}\n",
            "group-by"
        ),  // COR-04
        ("    type: event_count\n    rules: [failed_login]\n    condition: {gte: 1}\n", "no 'timespan'"),  // COR-05
        (
            "    type: event_count\n    rules: [failed_login]\n    timespan: 1H\n    condition: {gte: 1}\n",
            "timespan '1H' is invalid"
        ),
        ("    type: event_count\n    rules: [failed_login]\n    timespan: 0m\n    condition: {gte: 1}\n", "invalid"),
        ("    type: event_count\n    rules: [failed_login]\n    timespan: 1.5h\n    condition: {gte: 1}\n", "invalid"),
        ("    type: event_count\n    rules: [failed_login]\n    timespan: 1h30m\n    condition: {gte: 1}\n", "invalid"),
        ("    type: event_count\n    rules: [failed_login]\n    timespan: 10\n    condition: {gte: 1}\n", "invalid"),
        ("    type: event_count\n    rules: [failed_login]\n    timespan: 5ms\n    condition: {gte: 1}\n", "invalid"),
        (
            "    type: event_count\n    rules: [failed_login]\n    timespan: 5m\n    condition: {gt: 100, lte: 200}\n",
            "exactly one"
        ),  // COR-06
        (
            "    type: event_count\n    rules: [failed_login]\n    timespan: 5m\n    condition: {gte: 1, foo: 2}\n",
            "unknown key 'foo'"
        ),
        (
            "    type: event_count\n    rules: [failed_login]\n    timespan: 5m\n    condition: {gte: abc}\n",
            "not a valid count"
        ),
        ("    type: event_count\n    rules: [failed_login]\n    timespan: 5m\n", "needs a 'condition'"),
        (
            "    type: value_count\n    rules: [failed_login]\n    timespan: 5m\n    condition: {gte: 1}\n",
            "needs 'field'"
        ),
        (
            "    type: value_percentile\n    rules: [failed_login]\n    timespan: 5m\n    condition: {field: x, "
                + "lte: 1}\n",
            "needs 'percentile'"
        ),
        (
            "    type: event_count\n    rules: [failed_login]\n    timespan: 5m\n    condition: failed_login\n",
            "only works with temporal"
        ),
        (
            "    type: temporal\n    rules: [failed_login]\n    timespan: 5m\n"
                + "    condition: failed_login and success\n",
            "missing from 'rules'"
        ),
        (
            "    type: temporal\n    rules: [failed_login, success]\n    timespan: 5m\n    condition: failed_login\n",
            "not used in the condition"
        ),
        ("    type: temporal\n    timespan: 5m\n    condition: 1 of failed*\n", "may only combine rule names"),
        (
            "    type: event_count\n    rules: [failed_login]\n    timespan: 5m\n    condition: {gte: 1}\n"
                + "    aliases: {ip: source}\n",
            "must map rule names"
        ),  // COR-07
        (
            "    type: event_count\n    rules: [failed_login]\n    timespan: 5m\n    condition: {gte: 1}\n"
                + "    generate: 'yes please'\n",
            "'generate' must be true or false"
        ),  // COR-08
        (
            "    type: event_count\n    rules: [failed_login]\n    timespan: 5m\n    condition: {gte: 1}\n"
                + "    window: sliding\n",
            "unknown correlation attribute 'window'"
        ),  // D13
    ])
    func invalidCorrelationsAreRejected(body: String, fragment: String) throws {
        let c = Self.load(Self.correlation(body))
        #expect(c.correlations.isEmpty)
        #expect(c.rules.count == 2)
        let error = try #require(c.errors.first)
        #expect(error.code == "invalid-correlation", "\(error)")
        #expect(error.message.contains(fragment), "\(error.message)")
        #expect((error.location?.line ?? 0) >= 16)
    }

    @Test func correlationMustBeAMapAndNeedsATitle() {
        #expect(Self.load("title: x\ncorrelation: [a]\n").errors.map(\.code) == ["invalid-correlation"])
        #expect(
            Self.load("correlation:\n    type: temporal\n    rules: [a]\n    timespan: 1m\n").errors.first?.code
                == "missing-attribute")
    }

    @Test func correlationMetadataIsParsedLikeARule() throws {
        let c = Self.load(
            Self.correlation(
                "    type: event_count\n    rules: [success]\n    timespan: 5m\n    condition: {gte: 3}\n",
                extra: "level: high\nstatus: test\nid: 0e95725d-7320-415d-80f7-004da920fc11\n"))
        let corr = try #require(c.correlations.first)
        #expect(corr.metadata.level == .high)
        #expect(corr.metadata.status == .test)
        #expect(corr.metadata.name == "corr")
        #expect(corr.origin.rawText.hasPrefix("title: Correlation"))
    }

    @Test func aliasesMapRuleNamesToFields() throws {
        let c = Self.load(
            Self.correlation(
                """
                    type: temporal
                    rules: [failed_login, success]
                    group-by: [ip]
                    timespan: 5m
                    aliases:
                        ip:
                            failed_login: sourceIPAddress
                            success: source.ip

                """))
        #expect(c.errors.isEmpty, "\(c.errors)")
        #expect(c.correlations.first?.aliases == ["ip": ["failed_login": "sourceIPAddress", "success": "source.ip"]])
    }

    @Test func generateFalseSilencesTheReferencedRules() throws {
        let yaml =
            Self.baseRules + """
                ---
                title: Quiet
                name: quiet
                correlation: {type: event_count, rules: [failed_login], timespan: 5m, condition: {gte: 2}}
                ---
                title: Loud
                correlation: {type: event_count, rules: [failed_login, success, quiet], timespan: 5m,
                              condition: {gte: 2}, generate: true}
                """
        let c = Self.load(yaml)
        #expect(c.errors.isEmpty, "\(c.errors)")
        #expect(c.rules.map { c.producesOwnAlerts($0) } == [false, true])  // one generate:false is enough
        #expect(c.correlations.map { c.producesOwnAlerts($0) } == [true, true])
    }

    // MARK: Cross-document validation (COR-03, COR-18, COR-20, MD-03)

    @Test func referencesResolveAcrossFilesOfOneLoad() throws {
        let c = RuleLoader().load(yaml: Self.baseRules)
        var merged = c
        merged.merge(
            RuleLoader().load(yaml: Self.correlation("    type: temporal\n    rules: [success]\n    timespan: 5m\n")))
        #expect(merged.correlations.count == 1)
        #expect(merged.resolve(reference: "success") != nil)
        #expect(merged.resolve(reference: "5638F7C0AC70491D84652A65075E0D86") != nil)
        #expect(merged.resolve(reference: "Failed login") == nil)  // titles are never resolved
    }

    @Test(arguments: [
        ("Failed login", "titles are not resolved"),
        ("nobody", "not a loaded rule id or name"),
        ("00000000-0000-0000-0000-000000000000", "not a loaded rule id or name"),
    ])
    func unknownReferenceRejectsTheCorrelation(reference: String, fragment: String) throws {
        let c = Self.load(
            Self.correlation(
                "    type: event_count\n    rules: ['\(reference)']\n    timespan: 5m\n    condition: {gte: 1}\n"))
        #expect(c.correlations.isEmpty)
        #expect(c.documentsRejected == 1)
        let error = try #require(c.errors.first)
        #expect(error.code == "invalid-correlation")
        #expect(error.message.contains(fragment), "\(error.message)")
        #expect(error.location?.line == 20)
    }

    @Test func uuidLookingReferenceIsLookedUpOnlyById() {
        // A rule *named* like a UUID is not found through that UUID.
        let yaml = """
            title: r
            name: 11111111-2222-3333-4444-555555555555x
            logsource: {product: aws}
            detection: {sel: {a: b}, condition: sel}
            ---
            title: c
            correlation: {type: temporal, rules: ['11111111-2222-3333-4444-555555555555'], timespan: 5m}
            """
        #expect(Self.load(yaml).correlations.isEmpty)
    }

    @Test func referenceToARejectedRuleSaysSo() throws {
        let yaml =
            "title: broken\nname: broken_rule\nlogsource: {product: aws}\n---\n"
            + "title: c\ncorrelation: {type: event_count, rules: [broken_rule], timespan: 5m, condition: {gte: 1}}\n"
        let c = Self.load(yaml)
        #expect(c.documentsRejected == 2)
        #expect(c.errors.contains { $0.message.contains("which failed to load") })
    }

    @Test func cyclesAmongCorrelationsAreRejected() throws {
        let yaml =
            Self.baseRules + """
                ---
                title: A
                name: a
                correlation: {type: temporal, rules: [b, success], timespan: 5m}
                ---
                title: B
                name: b
                correlation: {type: temporal, rules: [a], timespan: 5m}
                ---
                title: Self
                name: s
                correlation: {type: temporal, rules: [s], timespan: 5m}
                ---
                title: Uses A
                name: uses_a
                correlation: {type: temporal, rules: [a], timespan: 5m}
                ---
                title: Chain ok
                name: chain
                correlation: {type: event_count, rules: [ok_child], timespan: 5m, condition: {gte: 1}}
                ---
                title: Child
                name: ok_child
                correlation: {type: event_count, rules: [success], timespan: 1m, condition: {gte: 2}}
                """
        let c = Self.load(yaml)
        #expect(c.correlations.map(\.metadata.name) == ["chain", "ok_child"])
        #expect(c.documentsRejected == 4)
        #expect(c.errors.filter { $0.message.contains("reference cycle") }.count == 3)
        #expect(c.errors.contains { $0.message.contains("a -> b -> a") })
        #expect(c.errors.contains { $0.message.contains("s -> s") })
        #expect(c.errors.contains { $0.message.contains("'a', which failed to load") })
    }

    @Test func namesMustBeUnique() throws {
        let yaml = Self.baseRules + "---\n" + LoaderFixture.rule(title: "again", extra: "name: success")
        let c = Self.load(yaml)
        #expect(c.rules.count == 2)
        let error = try #require(c.errors.first)
        #expect(error.message.contains("name 'success' is already used by the document at <memory>:10:7"))
        #expect(error.location?.line == 24)
    }

    // MARK: FLT-01, FLT-02

    static func filter(_ section: String, extra: String = "") -> String {
        "title: Filter\nlogsource: {product: aws}\n" + extra + "filter:\n" + section
    }

    @Test(arguments: [
        (
            "    rules: [failed_login]\n    selection: {user|startswith: adm_}\n    condition: not selection\n",
            "rules=failed_login"
        ),
        ("    rules: any\n    sel: {a: b}\n    condition: sel\n", "any"),
        ("    rules: ANY\n    sel: {a: b}\n    condition: sel\n", "any"),
        ("    rules: []\n    sel: {a: b}\n    condition: sel\n", "any"),
        ("    rules: failed_login\n    sel: {a: b}\n    condition: sel\n", "rules=failed_login"),
    ])
    func validFiltersLoad(section: String, target: String) throws {
        let c = Self.load(Self.filter(section, extra: "id: 6f3e2987-db24-4c78-a860-b4f4095a7095\n"))
        #expect(c.errors.isEmpty, "\(c.errors)")
        let filter = try #require(c.filters.first)
        switch filter.target {
        case .anyRule: #expect(target == "any")
        case .rules(let list): #expect(target == "rules=" + list.joined(separator: ","))
        }
        #expect(filter.detections.count == 1)
        #expect(filter.metadata.id == "6f3e2987-db24-4c78-a860-b4f4095a7095")
    }

    @Test(arguments: [
        ("    sel: {a: b}\n    condition: sel\n", "no 'rules'"),
        ("    rules: [x]\n    sel: {a: b}\n    condition: [sel]\n", "single string"),
        ("    rules: [x]\n    sel: {a: b}\n", "no 'condition'"),
        ("    rules: [x]\n    condition: sel\n", "no search identifier"),
        ("    rules: {a: b}\n    sel: {a: b}\n    condition: sel\n", "'rules' must be"),
        ("    rules: [x]\n    sel: {a: b}\n    condition: other\n", "other"),
    ])
    func invalidFiltersAreRejected(section: String, fragment: String) throws {
        let c = Self.load(Self.filter(section))
        #expect(c.filters.isEmpty)
        let error = try #require(c.errors.first)
        #expect(error.message.contains(fragment), "\(error.message)")
    }

    @Test func filterNeedsTitleAndLogsource() {
        #expect(
            Self.load("filter: {rules: any, sel: {a: b}, condition: sel}\nlogsource: {product: a}\n").errors.first?.code
                == "missing-attribute")
        #expect(
            Self.load("title: f\nfilter: {rules: any, sel: {a: b}, condition: sel}\n").errors.first?.code
                == "missing-attribute")
        #expect(Self.load("title: f\nlogsource: {product: a}\nfilter: [a]\n").errors.first?.code == "invalid-filter")
    }

    @Test func filterTargetsFollowIdsNamesAndLogsource() throws {
        let yaml =
            Self.baseRules + "---\n"
            + Self.filter("    rules: [failed_login, 'Success']\n    sel: {a: b}\n    condition: not sel\n")
        let c = Self.load(yaml)
        let filter = try #require(c.filters.first)
        #expect(c.rules(targetedBy: filter).map(\.title) == ["Failed login"])  // titles are not resolved
        let unrelated = Self.load(
            Self.baseRules + "---\ntitle: F\nlogsource: {product: gcp}\nfilter: {rules: any, s: {a: b}, condition: s}\n"
        )
        #expect(unrelated.rules(targetedBy: try #require(unrelated.filters.first)).isEmpty)
    }
}
