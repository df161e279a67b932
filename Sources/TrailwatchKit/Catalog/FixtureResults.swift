import SigmaKit

/// The outcome of every fixture case of the loaded rules, grouped by rule id, for the detection pages.
public struct FixtureResults: Sendable {
    /// One case of a rule's fixture file.
    public struct Case: Sendable, Hashable {
        public var name: String
        public var passed: Bool
        /// What differed (empty when passed).
        public var differences: [String]
        /// The fixture file.
        public var file: String
    }

    /// Rule id (lower-case) → its cases, in file order.
    public var byRuleID: [String: [Case]]

    public init(byRuleID: [String: [Case]] = [:]) {
        self.byRuleID = byRuleID
    }

    /// The cases of one rule (empty when it has no fixtures).
    public func cases(forRuleID id: String) -> [Case] { byRuleID[id.lowercased()] ?? [] }

    /// Finds every `*.fixtures.json` under `roots` and runs it against the rules of `collection` it names, like
    /// `trailwatch rules test` (only those rules are compiled, so a large tree costs nothing extra).
    public static func run(collection: RuleCollection, roots: [String]) -> FixtureResults {
        var files: [(path: String, ruleID: String)] = []
        var results = FixtureResults()
        for path in RuleFixtureFile.discover(in: roots) {
            do {
                files.append((path, try RuleFixtureFile(path: path).ruleID.lowercased()))
            } catch {
                // An unreadable fixture file names no rule we could attach it to; `rules test` reports it.
                continue
            }
        }
        guard !files.isEmpty else { return results }
        let ids = Set(files.map(\.ruleID))
        var subset = collection
        subset.rules = collection.rules.filter { $0.metadata.id.map(ids.contains) ?? false }
        let runner = FixtureRunner(collection: subset)
        for file in files {
            for outcome in runner.run(fixturePath: file.path) {
                results.byRuleID[file.ruleID, default: []].append(
                    Case(name: outcome.caseName, passed: outcome.passed, differences: outcome.differences,
                         file: outcome.file))
            }
        }
        return results
    }
}
