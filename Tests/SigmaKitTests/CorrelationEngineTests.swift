import Testing

@testable import SigmaKit

/// §15 correlation semantics at event level (COR-02..COR-19), D11 and D12.
struct CorrelationEngineTests {
    // MARK: COR-09 windows

    @Test(arguments: [
        ([0, 300, 600] as [Int64], ["600:e0,e1,e2"]),  // both ends inclusive
        ([0, 300, 601], []),  // 601 s − 600 s leaves the first event out
        ([601, 0, 300], []),  // input order does not matter
        ([600, 300, 0], ["600:e2,e1,e0"]),
    ])
    func windowIsSlidingAndInclusive(times: [Int64], expected: [String]) throws {
        let h = CorrelationHarness(
            correlationYAML(correlationDocument(type: "event_count", rules: "[fail]", condition: "{gte: 3}")))
        let alerts = try h.alerts("C", times.map { fail($0) })
        #expect(alerts.map(\.brief) == expected)
        if let first = alerts.first {
            #expect(first.windowStart == first.windowEnd - 600_000)
        }
    }

    @Test func windowsAreNotFixedBuckets() throws {
        // 9:58, 10:01, 10:03 (minutes): a 5-minute window holds all three although they straddle a boundary.
        let h = CorrelationHarness(
            correlationYAML(
                correlationDocument(type: "event_count", rules: "[fail]", timespan: "5m", condition: "{gte: 3}")))
        let alerts = try h.alerts("C", [fail(598 * 60), fail(601 * 60), fail(603 * 60)])
        #expect(alerts.count == 1)
    }

    // MARK: COR-10 group keys

    @Test func groupValuesCompareCaseInsensitively() throws {
        let h = CorrelationHarness(
            correlationYAML(correlationDocument(type: "event_count", rules: "[fail]", condition: "{gte: 3}")))
        let alerts = try h.alerts("C", [fail(0, "alice"), fail(10, "ALICE"), fail(20, "Alice")])
        #expect(alerts.count == 1)
        #expect(alerts.first?.groupText == "Alice")  // shown as written in the anchoring event
        let unicode = try h.alerts("C", [fail(0, "ÉLODIE"), fail(10, "élodie"), fail(20, "Élodie")])
        #expect(unicode.count == 1)  // D4: Unicode case folding, not ASCII only
    }

    @Test func eventsMissingAGroupByFieldAreDropped() throws {
        let h = CorrelationHarness(
            correlationYAML(correlationDocument(type: "event_count", rules: "[fail]", condition: "{gte: 2}")))
        let noUser = TimedEvent(5, "{\"eventName\":\"Login\",\"errorCode\":\"Failed\"}")
        let nullUser = TimedEvent(6, "{\"eventName\":\"Login\",\"errorCode\":\"Failed\",\"user\":null}")
        #expect(try h.alerts("C", [fail(0), noUser, nullUser]).isEmpty)
        var observations: [CorrelationObservation] = []
        var scratch = RuleSet.Scratch()
        var matched: [Int] = []
        let event = try TestEvent(noUser.json)
        h.ruleSet.matchingRules(event, scratch: &scratch, into: &matched)
        let dropped = h.plan.observe(event, matchedRules: matched, time: 0, eventID: "x", into: &observations)
        #expect(dropped == 1)
        #expect(observations.isEmpty)
        // An empty string is a value, not a missing field.
        let empty = [fail(0, ""), fail(1, "")]
        #expect(try h.alerts("C", empty).count == 1)
    }

    @Test func compositeGroupByNeedsEveryField() throws {
        let h = CorrelationHarness(
            correlationYAML(
                correlationDocument(
                    type: "event_count", rules: "[fail]", groupBy: "[user, region]", condition: "{gte: 2}")))
        let a = fail(0, "alice", extra: ",\"region\":\"eu\"")
        let b = fail(1, "ALICE", extra: ",\"region\":\"EU\"")
        let c = fail(2, "alice", extra: ",\"region\":\"us\"")
        let alerts = try h.alerts("C", [a, b, c])
        #expect(alerts.map(\.groupText) == ["ALICE|EU"])
        #expect(alerts.first?.group.map(\.field) == ["user", "region"])
        #expect(try h.alerts("C", [a, c]).isEmpty)
    }

    @Test func withoutGroupByThereIsOneGlobalGroup() throws {
        let h = CorrelationHarness(
            correlationYAML(
                correlationDocument(type: "event_count", rules: "[fail]", groupBy: nil, condition: "{gte: 3}")))
        let alerts = try h.alerts(
            "C", [fail(0, "a"), fail(1, "b"), TimedEvent(2, "{\"eventName\":\"Login\",\"errorCode\":\"Failed\"}")])
        #expect(alerts.count == 1)
        #expect(alerts.first?.group.isEmpty == true)
    }

    @Test func arrayGroupFieldsFanOut() throws {
        // D2 for group-by: an event whose field holds several values joins the group of each.
        let h = CorrelationHarness(
            correlationYAML(
                correlationDocument(type: "event_count", rules: "[fail]", groupBy: "[tags]", condition: "{gte: 2}")))
        let both = TimedEvent(0, "{\"eventName\":\"Login\",\"errorCode\":\"Failed\",\"tags\":[\"x\",\"y\"]}")
        let y = TimedEvent(1, "{\"eventName\":\"Login\",\"errorCode\":\"Failed\",\"tags\":\"Y\"}")
        let alerts = try h.alerts("C", [both, y])
        #expect(alerts.map(\.groupText) == ["Y"])
    }

    // MARK: COR-06 operators

    @Test(
        arguments: [
            ("{gt: 2}", [3]), ("{gte: 2}", [2]), ("{lt: 2}", [1]), ("{lte: 2}", [1]), ("{eq: 2}", [2]),
            ("{neq: 2}", [1]), ("{gte: '2'}", [2]), ("{gt: 1.5}", [2]),
        ] as [(String, [Int])])
    func everyOperatorIsEvaluated(condition: String, firstCount: [Int]) throws {
        let h = CorrelationHarness(
            correlationYAML(correlationDocument(type: "event_count", rules: "[fail]", condition: condition)))
        let alerts = try h.alerts("C", [fail(0), fail(10), fail(20)])
        #expect(alerts.first.map { [Int($0.metric)] } == firstCount)
    }

    // MARK: COR-11 event_count

    @Test func anEventMatchingTwoRulesCountsOnce() throws {
        let h = CorrelationHarness(
            correlationYAML(correlationDocument(type: "event_count", rules: "[fail, other]", condition: "{gte: 2}")))
        // Each failed login matches both `fail` and `other`.
        #expect(try h.alerts("C", [fail(0)]).isEmpty)
        let alerts = try h.alerts("C", [fail(0), fail(1)])
        #expect(alerts.map(\.metric) == [2])
        #expect(alerts.first?.events.map(\.id) == ["e0", "e1"])
    }

    // MARK: COR-12 value_count

    @Test func valueCountCountsDistinctValuesCaseInsensitively() throws {
        let h = CorrelationHarness(
            correlationYAML(
                correlationDocument(
                    type: "value_count", rules: "[fail]", groupBy: "[ip]", condition: "{gte: 2, field: user}")))
        let events = ["alice", "ALICE"].enumerated().map { fail(Int64($0.offset), $0.element, extra: ",\"ip\":\"1\"") }
        #expect(try h.alerts("C", events).isEmpty)
        let alerts = try h.alerts("C", events + [fail(5, "bob", extra: ",\"ip\":\"1\"")])
        #expect(alerts.map(\.metric) == [2])
        #expect(alerts.first?.events.count == 3)
        // A null value is not a value, but the event still belongs to the window.
        let withNull = [
            fail(0, "alice", extra: ",\"ip\":\"1\""),
            TimedEvent(1, "{\"eventName\":\"Login\",\"errorCode\":\"Failed\",\"user\":null,\"ip\":\"1\"}"),
        ]
        #expect(try h.alerts("C", withNull).isEmpty)
    }

    @Test func valueCountOverAFieldListCountsTuples() throws {
        let h = CorrelationHarness(
            correlationYAML(
                correlationDocument(
                    type: "value_count", rules: "[fail]", groupBy: "[ip]",
                    condition: "{gte: 3, field: [user, region]}")))
        func event(_ t: Int64, _ user: String, _ region: String) -> TimedEvent {
            fail(t, user, extra: ",\"ip\":\"1\",\"region\":\"\(region)\"")
        }
        #expect(try h.alerts("C", [event(0, "a", "eu"), event(1, "a", "us"), event(2, "A", "EU")]).isEmpty)
        #expect(try h.alerts("C", [event(0, "a", "eu"), event(1, "a", "us"), event(2, "b", "eu")]).count == 1)
    }

    // MARK: COR-13 temporal

    @Test func temporalCountsDistinctRulesInAnyOrder() throws {
        let h = CorrelationHarness(
            correlationYAML(correlationDocument(type: "temporal", rules: "[fail, ok]", timespan: "5m")))
        #expect(try h.alerts("C", [ok(0), fail(100)]).map(\.brief) == ["100:e0,e1"])
        #expect(try h.alerts("C", [fail(0), ok(301)]).isEmpty)
        #expect(try h.alerts("C", [fail(0), fail(100)]).isEmpty)
    }

    // MARK: COR-14 temporal_ordered

    @Test(
        arguments: [
            ("fail@0, ok@100", [fail(0), ok(100)], true),
            ("ok@0, fail@100", [ok(0), fail(100)], false),
            ("same second", [fail(0), ok(0)], false),
            ("ok@0, fail@50, ok@100", [ok(0), fail(50), ok(100)], true),
            ("outside the window", [fail(0), ok(301)], false),
            ("unrelated events between", [fail(0), ok(50, "bob"), ok(100)], true),
        ] as [(String, [TimedEvent], Bool)])
    func temporalOrderedNeedsStrictlyLaterMatches(label: String, events: [TimedEvent], fires: Bool) throws {
        let h = CorrelationHarness(
            correlationYAML(correlationDocument(type: "temporal_ordered", rules: "[fail, ok]", timespan: "5m")))
        #expect(try !h.alerts("C", events).isEmpty == fires, "\(label)")
    }

    @Test func orderedWithFewerThanAllRulesAcceptsAnyOrderedSubset() throws {
        // gte 2 of three rules: an ordered pair suffices; an out-of-order third does not veto it.
        let yaml = correlationYAML(
            """
            title: Third
            name: third
            logsource: {product: aws}
            detection:
                sel: {eventName: Logout}
                condition: sel
            ---
            """ + "\n"
                + correlationDocument(
                    type: "temporal_ordered", rules: "[fail, ok, third]", timespan: "5m", condition: "{gte: 2}"))
        let h = CorrelationHarness(yaml)
        let logout = TimedEvent(0, "{\"eventName\":\"Logout\",\"user\":\"alice\"}")
        let alerts = try h.alerts("C", [logout, fail(10), ok(20)])
        #expect(alerts.count == 1)
        #expect(alerts.first?.events.map(\.id).sorted() == ["e1", "e2"])  // the chain, not the out-of-order logout
        #expect(try h.alerts("C", [ok(0), fail(10)]).isEmpty)
    }

    @Test func orderedWithLessThanNeedsThePresentRulesInOrder() throws {
        let h = CorrelationHarness(
            correlationYAML(
                correlationDocument(
                    type: "temporal_ordered", rules: "[fail, ok]", timespan: "5m", condition: "{lt: 2}")))
        // Only one rule present: in order trivially, 1 < 2.
        #expect(try h.alerts("C", [fail(0)]).count == 1)
        // Both present but reversed: not an ordered chain of the present rules.
        let reversed = try h.alerts("C", [ok(0), fail(10)], options: .init(alertMode: .everyWindow))
        #expect(reversed.map(\.brief) == ["0:e0"])
    }

    // MARK: COR-15, COR-16 numeric aggregates

    @Test func valueSumReadsNumericStringsAndIgnoresTheRest() throws {
        let h = CorrelationHarness(
            correlationYAML(
                correlationDocument(type: "value_sum", rules: "[fail]", condition: "{gt: 100, field: bytes}")))
        let events = [
            fail(0, extra: ",\"bytes\":60"), fail(1, extra: ",\"bytes\":\"50\""), fail(2, extra: ",\"bytes\":\"abc\""),
        ]
        let alerts = try h.alerts("C", events)
        #expect(alerts.map(\.metric) == [110])
        #expect(alerts.first?.events.map(\.id) == ["e0", "e1"])  // only events with a numeric value
        #expect(try h.alerts("C", Array(events.prefix(1)) + [events[2]]).isEmpty)
    }

    @Test(
        arguments: [
            ("value_avg", "{gte: 55, field: bytes}", [60.0, 50], 55.0),
            ("value_avg", "{gt: 54.9, field: bytes}", [60.0, 50], 55.0),
            ("value_median", "{eq: 20, field: bytes}", [10.0, 30, 20], 20.0),
            ("value_median", "{eq: 15, field: bytes}", [10.0, 20], 15.0),
            ("value_percentile", "{gte: 28, field: bytes, percentile: 90}", [10.0, 20, 30], 28.0),
            ("value_percentile", "{lte: 10, field: bytes, percentile: 0}", [30.0, 10], 10.0),
        ] as [(String, String, [Double], Double)])
    func numericAggregates(type: String, condition: String, values: [Double], metric: Double) throws {
        let h = CorrelationHarness(
            correlationYAML(correlationDocument(type: type, rules: "[fail]", condition: condition)))
        let events = values.enumerated().map { fail(Int64($0.offset), extra: ",\"bytes\":\($0.element)") }
        let alerts = try h.alerts("C", events, options: .init(alertMode: .everyWindow))
        #expect(abs((alerts.last?.metric ?? -1) - metric) < 1e-9, "\(alerts.map(\.metric))")
    }

    @Test func numbersAreReadAsTheSQLReferenceReadsThem() {
        #expect(CorrelationValues.number("50") == 50)
        #expect(CorrelationValues.number(" 1.5e2 ") == 150)
        #expect(CorrelationValues.number("-0.25") == -0.25)
        for junk in ["abc", "0x10", "+5", ".5", "5.", "1e", "", "true", "01"] {
            #expect(CorrelationValues.number(junk) == nil, "\(junk)")
        }
        #expect(CorrelationValues.percentile([10, 20], 50) == 15)
        #expect(CorrelationValues.percentile([10, 20, 30], 50) == 20)
    }

    // MARK: COR-17 firing

    @Test func lessThanFiresForIsolatedEvents() throws {
        let h = CorrelationHarness(
            correlationYAML(correlationDocument(type: "event_count", rules: "[fail]", condition: "{lt: 2}")))
        // No window is ever empty: each isolated event is "one event so far". Absence is not detected.
        #expect(try h.alerts("C", [fail(0), fail(1000), fail(2000)]).count == 3)
        #expect(try h.alerts("C", []).isEmpty)
        // Every-window mode: the second event of a pair is no longer < 2.
        let pair = try h.alerts("C", [fail(0), fail(10)], options: .init(alertMode: .everyWindow))
        #expect(pair.map(\.brief) == ["0:e0"])
    }

    // MARK: D11

    @Test func oneAlertWhenTheConditionBecomesTrueThenTheWindowStartsAfresh() throws {
        let h = CorrelationHarness(
            correlationYAML(correlationDocument(type: "event_count", rules: "[fail]", condition: "{gte: 3}")))
        let events = (0..<7).map { fail(Int64($0) * 10) }
        let once = try h.alerts("C", events)
        #expect(once.map(\.brief) == ["20:e0,e1,e2", "50:e3,e4,e5"])
        let every = try h.alerts("C", events, options: .init(alertMode: .everyWindow))
        #expect(every.map { $0.windowEnd / 1000 } == [20, 30, 40, 50, 60])
    }

    // MARK: COR-18 chaining

    static let chain = correlationYAML(
        correlationDocument(
            title: "Many failures", name: "many_failures", type: "event_count", rules: "[fail]", timespan: "1h",
            condition: "{gte: 3}")
            + "---\n"
            + correlationDocument(
                title: "Brute force then success", type: "temporal_ordered", rules: "[many_failures, ok]",
                timespan: "1h"))

    @Test(
        arguments: [
            ("3 failures then a success", [fail(0), fail(10), fail(20), ok(30)], true),
            ("fail, fail, success, fail", [fail(0), fail(10), ok(20), fail(30)], false),
            ("success at the second of the third failure", [fail(0), fail(10), fail(20), ok(20)], false),
        ] as [(String, [TimedEvent], Bool)])
    func chainedCorrelation(label: String, events: [TimedEvent], fires: Bool) throws {
        let h = CorrelationHarness(Self.chain)
        let alerts = try h.alerts("Brute force then success", events)
        #expect(!alerts.isEmpty == fires, "\(label)")
        if let alert = alerts.first {
            #expect(alert.events.map(\.id) == ["e0", "e1", "e2", "e3"])  // base events through the chain
            #expect(alert.childAlerts.count == 1)
        }
    }

    @Test func chainedParentGroupsOnTheChildsGroupOrThroughAliases() throws {
        let yaml = correlationYAML(
            correlationDocument(
                title: "Inner", name: "inner", type: "event_count", rules: "[fail]", groupBy: "[user, ip]",
                condition: "{gte: 2}")
                + "---\n"
                + correlationDocument(
                    title: "Outer", type: "event_count", rules: "[inner]", groupBy: "[who]", timespan: "1h",
                    condition: "{gte: 2}", extra: "    aliases:\n        who:\n            inner: user\n"))
        let h = CorrelationHarness(yaml)
        let events = [
            fail(0, extra: ",\"ip\":\"1\""), fail(1, extra: ",\"ip\":\"1\""),
            fail(2, extra: ",\"ip\":\"2\""), fail(3, extra: ",\"ip\":\"2\""),
        ]
        let outer = try h.alerts("Outer", events)
        #expect(outer.map(\.groupText) == ["alice"])
        #expect(outer.first?.events.count == 4)
    }

    @Test func aParentFieldMissingFromTheChildGroupComesFromTheChildsEvents() throws {
        // SQL reference: fields not in the child's group-by are propagated from its events.
        let yaml = correlationYAML(
            correlationDocument(
                title: "Inner", name: "inner", type: "event_count", rules: "[fail]", groupBy: "[user]",
                condition: "{gte: 2}")
                + "---\n"
                + correlationDocument(
                    title: "Outer", type: "value_count", rules: "[inner]", groupBy: "[region]", timespan: "1h",
                    condition: "{gte: 2, field: user}"))
        let h = CorrelationHarness(yaml)
        let events = [
            fail(0, "alice", extra: ",\"region\":\"eu\""), fail(1, "alice", extra: ",\"region\":\"eu\""),
            fail(2, "bob", extra: ",\"region\":\"eu\""), fail(3, "bob", extra: ",\"region\":\"eu\""),
        ]
        let outer = try h.alerts("Outer", events)
        #expect(outer.map(\.groupText) == ["eu"])
        #expect(outer.map(\.metric) == [2])
    }

    // MARK: COR-03, COR-07, COR-08

    @Test func referencesByIdAndNameAndAliasesPerRule() throws {
        let yaml = correlationYAML(
            correlationDocument(
                type: "temporal", rules: "[5638f7c0-ac70-491d-8465-2a65075e0d86, ok]", groupBy: "[actor]",
                extra: """
                        aliases:
                            actor:
                                fail: user
                                ok: account

                    """))
        let h = CorrelationHarness(yaml)
        #expect(h.plan.setAside.isEmpty, "\(h.plan.setAside.map(\.reason))")
        let success = TimedEvent(5, "{\"eventName\":\"Login\",\"account\":\"ALICE\"}")
        let alerts = try h.alerts("C", [fail(0), success])
        #expect(alerts.map(\.groupText) == ["ALICE"])
        #expect(alerts.first?.group.first?.field == "actor")
        // Without the alias, the success event has no `actor`... and no `user`: dropped.
        #expect(try h.alerts("C", [fail(0), TimedEvent(5, "{\"eventName\":\"Login\",\"user\":\"alice\"}")]).isEmpty)
    }

    @Test func generateFalseSilencesReferencedRulesAndOneFalseIsEnough() throws {
        let yaml = correlationYAML(
            correlationDocument(
                title: "A", type: "event_count", rules: "[fail]", condition: "{gte: 2}", extra: "    generate: true\n")
                + "---\n"
                + correlationDocument(title: "B", type: "event_count", rules: "[ok]", condition: "{gte: 2}")
                + "---\n"
                + correlationDocument(
                    title: "C2", type: "event_count", rules: "[fail]", condition: "{gte: 5}",
                    extra: "    generate: false\n"))
        let h = CorrelationHarness(yaml)
        func produces(_ name: String) -> Bool? {
            h.ruleSet.rules.firstIndex { $0.rule.metadata.name == name }.map { h.plan.ruleProducesAlerts[$0] }
        }
        #expect(produces("fail") == false)  // A says true, C2 says false: false wins (COR-08)
        #expect(produces("ok") == false)  // B: generate defaults to false
        #expect(produces("other") == true)
        #expect(h.plan.nodes.allSatisfy { $0.producesAlerts })
    }

    @Test func anInnerCorrelationOfAGenerateFalseChainDoesNotReport() throws {
        let h = CorrelationHarness(Self.chain)
        let inner = h.plan.nodes.first { $0.correlation.metadata.title == "Many failures" }
        #expect(inner?.producesAlerts == false)
        let alerts = try h.run([fail(0), fail(10), fail(20), ok(30)])
        #expect(
            alerts.filter { $0.producesAlert }.map { h.plan.nodes[$0.node].correlation.metadata.title } == [
                "Brute force then success"
            ])
    }

    @Test func aCorrelationOverARuleThatDoesNotRunIsSetAsideWithTheReason() {
        let collection = RuleLoader().load(
            yaml: correlationYAML(correlationDocument(type: "event_count", rules: "[fail]", condition: "{gte: 2}")))
        let ruleSet = RuleSet(
            rules: collection.rules, filters: [], options: RuleSetOptions(target: LogSource(product: "windows")))
        let plan = CorrelationPlan(correlations: collection.correlations, ruleSet: ruleSet)
        #expect(plan.nodes.isEmpty)
        #expect(plan.setAside.first?.reason.contains("set aside: logsource product aws") == true)
        let ignored = CorrelationPlan(
            correlations: collection.correlations, ruleSet: RuleSet(rules: [], filters: []),
            absentReasons: ["fail": "ignored by --ignore-rule"])
        #expect(ignored.setAside.first?.reason == "references 'fail', which is ignored by --ignore-rule")
    }

    // MARK: Extended temporal conditions

    @Test func extendedConditionWithAndOr() throws {
        let h = CorrelationHarness(
            correlationYAML(
                correlationDocument(
                    type: "temporal", rules: "[fail, ok]", timespan: "5m", condition: "'fail or ok'")))
        #expect(try h.alerts("C", [fail(0)]).count == 1)
        let both = CorrelationHarness(
            correlationYAML(
                correlationDocument(
                    type: "temporal", rules: "[fail, ok]", timespan: "5m", condition: "'fail and ok'")))
        #expect(try both.alerts("C", [fail(0)]).isEmpty)
        #expect(try both.alerts("C", [fail(0), ok(10)]).count == 1)
    }

    @Test func extendedConditionWithNotLooksForward() throws {
        // "failed and not ok": a failure with no success in the following 5 minutes (a complete window).
        let h = CorrelationHarness(
            correlationYAML(
                correlationDocument(
                    type: "temporal", rules: "[fail, ok]", timespan: "5m", condition: "'fail and not ok'")))
        // Success 100 s later: no alert; success 400 s later: the failure's window closed without one.
        #expect(try h.alerts("C", [fail(0), ok(100)]).isEmpty)
        let alerts = try h.alerts("C", [fail(0), ok(400)])
        #expect(alerts.map { [$0.windowStart / 1000, $0.windowEnd / 1000] } == [[0, 300]])
        // The input ended before the window did: not evaluated, counted as incomplete.
        let engine = try CorrelationEngine.evaluate(
            plan: h.plan, observations: h.observations([fail(0), ok(10, "bob")]))
        #expect(engine.firings.isEmpty)
        #expect(engine.statistics.incompleteWindows == 1)
    }

    @Test func aPurelyNegativeClauseIsAnchoredOnEveryEvent() throws {
        let h = CorrelationHarness(
            correlationYAML(
                correlationDocument(type: "temporal", rules: "[ok]", timespan: "1m", condition: "'not ok'")))
        #expect(h.plan.needsEveryEvent)
        let unrelated = TimedEvent(0, "{\"eventName\":\"Other\",\"user\":\"bob\"}")
        let later = TimedEvent(200, "{\"eventName\":\"Other\",\"user\":\"carol\"}")
        let alerts = try h.alerts("C", [unrelated, later])
        #expect(alerts.map(\.groupText) == ["bob"])  // carol's window is still open at the end of the input
    }

    // MARK: D12 lateness (incremental API)

    @Test func outOfOrderWithinTheLatenessBoundGivesTheSortedResult() throws {
        let h = CorrelationHarness(
            correlationYAML(correlationDocument(type: "event_count", rules: "[fail]", condition: "{gte: 3}")))
        let events = [fail(100), fail(0), fail(700), fail(300), fail(650), fail(690)]
        let expected = try h.run(events).map(\.brief)
        var engine = CorrelationEngine(plan: h.plan, options: .init(maxLatenessMillis: 600_000))
        engine.add(contentsOf: try h.observations(events))
        engine.finish()
        #expect(engine.takeFirings().map(\.brief) == expected)
        #expect(engine.statistics.lateObservations == 0)
    }

    @Test func theDefaultLatenessBoundIsFifteenMinutes() throws {
        #expect(CorrelationOptions().maxLatenessMillis == 15 * 60 * 1000)
        // 14 minutes late: still evaluated in order with the default bound.
        let h = CorrelationHarness(
            correlationYAML(correlationDocument(type: "event_count", rules: "[fail]", condition: "{gte: 2}")))
        var engine = CorrelationEngine(plan: h.plan)
        engine.add(contentsOf: try h.observations([fail(0, "a"), fail(14 * 60 + 30, "b"), fail(30, "a")]))
        engine.finish()
        #expect(engine.statistics.lateObservations == 0)
        #expect(engine.takeFirings().map(\.brief) == ["30:e0,e2"])
    }

    @Test func observationsLaterThanTheBoundAreCountedNotEvaluated() throws {
        let h = CorrelationHarness(
            correlationYAML(correlationDocument(type: "event_count", rules: "[fail]", condition: "{gte: 2}")))
        var engine = CorrelationEngine(plan: h.plan, options: .init(maxLatenessMillis: 60_000))
        // 10 s arrives after 0 s and 20 s were evaluated (1000 s moved the input 60 s past them): late.
        let observations = try h.observations([fail(0, "a"), fail(20, "b"), fail(1000, "c"), fail(10, "a")])
        for observation in observations { engine.add(observation) }
        engine.finish()
        #expect(engine.statistics.lateObservations == 1)
        #expect(engine.takeFirings().isEmpty)
        // Moving time forward releases what is old enough.
        var clock = CorrelationEngine(plan: h.plan, options: .init(maxLatenessMillis: 60_000))
        clock.add(contentsOf: try h.observations([fail(0), fail(5)]))
        #expect(clock.takeFirings().isEmpty)
        clock.advance(to: 66_000)
        #expect(clock.takeFirings().count == 1)
    }

    // MARK: Memory bounds

    @Test func groupCapEvictsAndCounts() throws {
        let h = CorrelationHarness(
            correlationYAML(
                correlationDocument(type: "event_count", rules: "[fail]", timespan: "1h", condition: "{gte: 2}")))
        let users = (0..<100).map { fail(Int64($0), "user\($0)") }
        let result = try CorrelationEngine.evaluate(
            plan: h.plan, observations: h.observations(users + [fail(200, "user0")]),
            options: .init(maxGroups: 50))
        #expect(result.statistics.groupsEvicted > 0)
        #expect(result.statistics.peakGroups <= 51)
        #expect(result.firings.isEmpty)  // user0's first failure was evicted: counted, not silently lost
    }

    @Test func perGroupCapEvictsTheOldestAndCounts() throws {
        let h = CorrelationHarness(
            correlationYAML(
                correlationDocument(
                    type: "value_count", rules: "[fail]", groupBy: "[ip]", timespan: "1h",
                    condition: "{lt: 0, field: user}")))
        let events = (0..<20).map { fail(Int64($0), "u\($0)", extra: ",\"ip\":\"1\"") }
        let result = try CorrelationEngine.evaluate(
            plan: h.plan, observations: h.observations(events), options: .init(maxEventsPerGroup: 5))
        #expect(result.statistics.eventsEvicted == 15)
    }

    @Test func countThresholdsRaiseTheRetentionCap() throws {
        let h = CorrelationHarness(
            correlationYAML(
                correlationDocument(type: "event_count", rules: "[fail]", timespan: "1h", condition: "{gte: 30}")),
            options: .init(maxEventsPerGroup: 5))
        let alerts = try h.alerts("C", (0..<30).map { fail(Int64($0)) })
        #expect(alerts.count == 1)
    }

    @Test func expiredGroupsAreDroppedExactly() throws {
        let h = CorrelationHarness(
            correlationYAML(
                correlationDocument(type: "event_count", rules: "[fail]", timespan: "1m", condition: "{gte: 2}")))
        let events = (0..<10_000).map { fail(Int64($0) * 120, "user\($0)") }
        let result = try CorrelationEngine.evaluate(plan: h.plan, observations: h.observations(events))
        #expect(result.statistics.groupsEvicted == 0)
        #expect(result.statistics.groupsExpired > 0)
        #expect(result.statistics.peakGroups < 5000)
    }
}
