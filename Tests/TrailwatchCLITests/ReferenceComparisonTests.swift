import CloudTrail
import Foundation
import SigmaKit
import Testing
import TrailwatchKit

/// The 57 SigmaHQ CloudTrail rules over every file of `../shared/data/cloudtrail`, compared with a reference
/// computed independently: pySigma 2.0.1 + the SQLite backend, its SQL run over the same events
/// (`scripts/reference/build_reference.py`, stored in `Fixtures/reference/sigmahq-reference.json`).
/// Every difference must be listed in `explained` with the line of the semantics contract that decides it.
@Suite(.enabled(if: Repository.shared != nil, "../shared is absent: the reference comparison is skipped"))
struct ReferenceComparisonTests {
    /// Rule id → (events only Trailwatch matches, events only the reference matches, the reason).
    /// Event keys: the eventID, or `<file relative to data/cloudtrail>#<line>` for records without one.
    static let explained: [String: (onlyOurs: Set<String>, onlyReference: Set<String>, reason: String)] = [:]

    struct ReferenceRule {
        var id: String
        var title: String
        var matches: [String: Int]
    }

    /// Reads the reference with our own JSON scanner.
    static func loadReference() throws -> [ReferenceRule] {
        let url = Repository.fixtures.appendingPathComponent("reference/sigmahq-reference.json")
        let bytes = Array(try Data(contentsOf: url))
        return try JSONScanner().parse(bytes) { root in
            var rules: [ReferenceRule] = []
            root["rules"]?.forEachElement { rule in
                var matches: [String: Int] = [:]
                rule["matches"]?.forEachElement { value in
                    guard let key = value.string else { return }
                    matches[referenceKey(key), default: 0] += 1
                }
                rules.append(
                    ReferenceRule(id: rule["id"]?.string ?? "", title: rule["title"]?.string ?? "", matches: matches))
            }
            return rules
        }
    }

    /// `folder/file#index@eventID` → the eventID, or `folder/file#line` (1-based) when there is no eventID.
    static func referenceKey(_ key: String) -> String {
        if let at = key.lastIndex(of: "@") { return String(key[key.index(after: at)...]) }
        guard let hash = key.lastIndex(of: "#"), let index = Int(key[key.index(after: hash)...]) else { return key }
        return "\(key[..<hash])#\(index + 1)"
    }

    static func ourKey(_ alert: Alert, dataRoot: String) -> String {
        if let id = alert.eventID { return id }
        var origin = alert.origin ?? ""
        if origin.hasPrefix(dataRoot + "/") { origin.removeFirst(dataRoot.count + 1) }
        if let colon = origin.lastIndex(of: ":") { origin.replaceSubrange(colon...colon, with: "#") }
        return origin
    }

    /// EventIDs that occur in more than one input file of the corpus (redeliveries), found by a scan that keeps
    /// every record: read the corpus once per file and count the files each eventID appears in.
    static func eventIDsInSeveralInputs(dataRoot: String) async throws -> Set<String> {
        var options = InputOptions(paths: [dataRoot])
        options.deduplicate = false
        let (states, _) = try await readRecords(
            options: options, makeState: { [String: Set<String>]() },
            visit: { state, event in
                if let id = event.eventID { state[id, default: []].insert(event.inputPath) }
            })
        var files: [String: Set<String>] = [:]
        for state in states { for (id, paths) in state { files[id, default: []].formUnion(paths) } }
        return Set(files.filter { $0.value.count > 1 }.keys)
    }

    @Test func sigmaHQCloudTrailRulesAgreeWithTheReference() async throws {
        guard let shared = Repository.shared else { return }
        let dataRoot = shared.appendingPathComponent("data/cloudtrail").path
        var request = ScanRequest(paths: [dataRoot])
        request.useBuiltinPack = false
        request.ruleTrees = [shared.appendingPathComponent("sigma/sigmahq/rules/cloud/aws/cloudtrail").path]
        let result = try await Scanner.run(request)
        #expect(result.rules.running == 57)
        #expect(result.rules.diagnostics.filter { $0.severity == .error }.isEmpty)
        var ours: [String: [String: Int]] = [:]
        for alert in result.alerts { ours[alert.ruleID, default: [:]][Self.ourKey(alert, dataRoot: dataRoot), default: 0] += 1 }
        let reference = try Self.loadReference()
        let duplicatedAcrossInputs = try await Self.eventIDsInSeveralInputs(dataRoot: dataRoot)
        #expect(reference.count == 57)
        var report: [String] = []
        for rule in reference {
            let mine = ours[rule.id] ?? [:]
            let onlyOurs = Set(mine.keys).subtracting(rule.matches.keys)
            let onlyReference = Set(rule.matches.keys).subtracting(mine.keys)
            // Counts per event: never more than the reference. Fewer only where we dropped a redelivered copy: the
            // reference deduplicates grycap only, we drop a record whose eventID was already read from another
            // input (panther, awsdocs, stratus and trailscraper share some events); copies inside one input are
            // kept, as the reference keeps them (panther reuses fake ids like "1").
            let overCounted = mine.filter { key, count in count > (rule.matches[key] ?? 0) && !onlyOurs.contains(key) }
            let underCounted = rule.matches.filter { key, count in
                let have = mine[key] ?? 0
                return have > 0 && have < count && !duplicatedAcrossInputs.contains(key)
            }
            let explained = Self.explained[rule.id]
            if onlyOurs != (explained?.onlyOurs ?? []) || onlyReference != (explained?.onlyReference ?? [])
                || !overCounted.isEmpty || !underCounted.isEmpty
            {
                report.append(
                    "\(rule.title) [\(rule.id)]: ours \(mine.values.reduce(0, +)), reference "
                        + "\(rule.matches.values.reduce(0, +)); only ours \(onlyOurs.sorted()); "
                        + "only reference \(onlyReference.sorted()); more often in ours \(overCounted.keys.sorted()); "
                        + "less often in ours \(underCounted.keys.sorted())")
            }
        }
        #expect(report.isEmpty, "unexplained differences:\n\(report.joined(separator: "\n"))")
    }
}
