import CloudTrail
import Foundation
import SigmaKit

/// A rule's test cases (`<rule>.fixtures.json` next to the rule; format in `Resources/rules/FIXTURES.md`).
public struct RuleFixtureFile: Sendable {
    public struct Case: Sendable {
        public var name: String
        public var expectMatch: Bool
        /// Run with the pack's "successful calls only" filter off.
        public var includeFailed: Bool
        public var effectiveLevel: Level?
        public var summaryContains: [String]
        /// The event's JSON text (a rule case).
        public var event: String
        /// The events' JSON texts, in the file's order (a correlation case).
        public var events: [String] = []
        /// The alerts a correlation case expects, in time order (empty: any number, when `expectMatch`).
        public var alerts: [ExpectedCorrelationAlert] = []
    }

    public var path: String
    public var ruleID: String
    public var cases: [Case]

    /// Parses a fixture file; errors name the file and the byte offset or the missing key.
    public init(path: String) throws {
        self.path = path
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw FixtureError("\(path): cannot read the file")
        }
        let scanner = JSONScanner()
        let parsed: (String, [Case])
        do {
            parsed = try scanner.parse(bytes) { root -> (String, [Case]) in
                guard let rule = root["rule"]?.string else { throw FixtureError("\(path): missing \"rule\" (the rule id)") }
                guard let list = root["cases"], list.kind == .array else {
                    throw FixtureError("\(path): missing \"cases\" array")
                }
                var cases: [Case] = []
                var failure: FixtureError?
                list.forEachElement { item in
                    guard failure == nil else { return }
                    let position = "\(path) (case \(cases.count + 1), byte \(item.byteOffset))"
                    guard let name = item["name"]?.string else {
                        failure = FixtureError("\(position): missing \"name\"")
                        return
                    }
                    guard let expect = item["expect"]?.string, expect == "match" || expect == "no-match" else {
                        failure = FixtureError("\(position) '\(name)': \"expect\" must be \"match\" or \"no-match\"")
                        return
                    }
                    var events: [String] = []
                    var alerts: [ExpectedCorrelationAlert] = []
                    if let list = item["events"] {
                        // A correlation case: a sequence of events and the alerts they must raise.
                        guard list.kind == .array, list.count > 0 else {
                            failure = FixtureError("\(position) '\(name)': \"events\" must be a non-empty array")
                            return
                        }
                        list.forEachElement { events.append(String(decoding: $0.rawBytes, as: UTF8.self)) }
                        item["alerts"]?.forEachElement { value in
                            let (alert, problem) = ExpectedCorrelationAlert.parse(value)
                            if let alert { alerts.append(alert) }
                            if let problem, failure == nil { failure = FixtureError("\(position) '\(name)': \(problem)") }
                        }
                        if failure != nil { return }
                        if !alerts.isEmpty && expect != "match" {
                            failure = FixtureError("\(position) '\(name)': \"alerts\" only goes with \"match\"")
                            return
                        }
                    }
                    let event = item["event"]
                    guard events.isEmpty ? event?.kind == .object : event == nil else {
                        failure = FixtureError(
                            "\(position) '\(name)': give an \"event\" object (rule) or an \"events\" array "
                                + "(correlation), not both or neither")
                        return
                    }
                    var level: Level?
                    if let text = item["effectiveLevel"]?.string {
                        guard let parsed = Level(rawValue: text) else {
                            failure = FixtureError("\(position) '\(name)': unknown level '\(text)'")
                            return
                        }
                        level = parsed
                    }
                    var contains: [String] = []
                    item["summaryContains"]?.forEachElement { if let s = $0.string { contains.append(s) } }
                    cases.append(
                        Case(
                            name: name, expectMatch: expect == "match",
                            includeFailed: item["includeFailed"]?.bool ?? false, effectiveLevel: level,
                            summaryContains: contains,
                            event: event.map { String(decoding: $0.rawBytes, as: UTF8.self) } ?? "", events: events,
                            alerts: alerts))
                }
                if let failure { throw failure }
                return (rule, cases)
            }
        } catch let error as FixtureError {
            throw error
        } catch {
            throw FixtureError("\(path): not valid JSON: \(error)")
        }
        (ruleID, cases) = parsed
    }

    /// Every `*.fixtures.json` under `paths` (files or directories), sorted.
    public static func discover(in paths: [String]) -> [String] {
        var found: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue {
                if path.hasSuffix(".fixtures.json") { found.append(path) }
                continue
            }
            let enumerator = FileManager.default.enumerator(atPath: path)
            while let relative = enumerator?.nextObject() as? String {
                if relative.hasSuffix(".fixtures.json") { found.append((path as NSString).appendingPathComponent(relative)) }
            }
        }
        return found.sorted()
    }
}

public struct FixtureError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Runs rule fixtures against the compiled rules (through the index, like a scan) and reports each case.
public struct FixtureRunner: Sendable {
    public struct Outcome: Sendable {
        public var file: String
        public var ruleTitle: String
        public var caseName: String
        public var passed: Bool
        /// What differed, one line per difference (empty when passed).
        public var differences: [String]
    }

    let collection: RuleCollection
    let strict: RuleSet
    let includingFailed: RuleSet

    public init(collection: RuleCollection) {
        self.collection = collection
        strict = Scanner.compile(collection, includeFailed: false)
        includingFailed = Scanner.compile(collection, includeFailed: true)
    }

    /// Runs every case of `file`; a file that does not parse or names an unknown rule is one failed outcome.
    public func run(fixturePath: String) -> [Outcome] {
        let file: RuleFixtureFile
        do {
            file = try RuleFixtureFile(path: fixturePath)
        } catch {
            return [Outcome(file: fixturePath, ruleTitle: "?", caseName: "(file)", passed: false, differences: ["\(error)"])]
        }
        return file.cases.map { run($0, file: file) }
    }

    func run(_ testCase: RuleFixtureFile.Case, file: RuleFixtureFile) -> Outcome {
        let ruleSet = testCase.includeFailed ? includingFailed : strict
        if let correlation = collection.correlations.first(where: { $0.metadata.id == file.ruleID.lowercased() }) {
            return runCorrelation(testCase, file: file, ruleSet: ruleSet, correlation: correlation)
        }
        guard let ruleIndex = ruleSet.rules.firstIndex(where: { $0.rule.metadata.id == file.ruleID.lowercased() }) else {
            return Outcome(
                file: file.path, ruleTitle: file.ruleID, caseName: testCase.name, passed: false,
                differences: ["no loaded rule has id \(file.ruleID)"])
        }
        let compiled = ruleSet.rules[ruleIndex]
        var differences: [String] = []
        do {
            try CloudTrailEvent.withEvent(parsing: testCase.event) { event in
                let matched = ruleSet.matchingRules(event).contains { $0.rule.metadata.id == compiled.rule.metadata.id }
                if matched != testCase.expectMatch {
                    differences.append(
                        "expected \(testCase.expectMatch ? "a match" : "no match"), got \(matched ? "a match" : "no match")")
                }
                guard matched else { return }
                let alert = EventMatcher(ruleSet: ruleSet).makeAlert(ruleIndex: ruleIndex, event: event)
                if let level = testCase.effectiveLevel, alert.effectiveLevel != level {
                    differences.append("expected effective level \(level.rawValue), got \(alert.effectiveLevel.rawValue)")
                }
                for needle in testCase.summaryContains where !(alert.summary ?? "").contains(needle) {
                    differences.append("expected the summary to contain '\(needle)', got '\(alert.summary ?? "<none>")'")
                }
            }
        } catch {
            differences.append("the event does not parse: \(error)")
        }
        return Outcome(
            file: file.path, ruleTitle: compiled.rule.title, caseName: testCase.name, passed: differences.isEmpty,
            differences: differences)
    }
}
