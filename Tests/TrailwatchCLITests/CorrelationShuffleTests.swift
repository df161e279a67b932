import CloudTrail
import Foundation
import SigmaKit
import Testing
import TrailwatchKit

/// Property: the alerts of a scan (correlations included) do not depend on the order of files or of the records
/// inside them, nor on the number of workers.
struct CorrelationShuffleTests {
    /// A small deterministic generator (SplitMix64), so a failing seed can be replayed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Every event of the pack's correlation fixtures (unique event ids), as JSON texts.
    static func packCorrelationEvents() throws -> [String] {
        let directory = try #require(BuiltinPack.rulesDirectory).appendingPathComponent("aws/cloudtrail")
        var events: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        where name.hasSuffix(".fixtures.json") {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(name)))
            try JSONScanner().parse(bytes) { root in
                root["cases"]?.forEachElement { item in
                    item["events"]?.forEachElement { events.append(String(decoding: $0.rawBytes, as: UTF8.self)) }
                }
            }
        }
        return events
    }

    /// A correlation tree of every type over the pack's rules, so the property covers more than the pack's own.
    static let extraCorrelations = """
        title: Distinct ranges opened by one identity
        id: 0c6f3a52-2b7e-4d1a-9e8c-4f5a6b7c8d90
        correlation:
            type: value_count
            rules: [6fb77778-040f-4015-9440-572aa9b6b580]
            group-by: [userIdentity.arn]
            timespan: 15m
            condition: {gte: 3, field: requestParameters.ipPermissions.items.ipRanges.items.cidrIp}
        level: low
        ---
        title: Change and launch by one identity in any order
        id: 1d7a4b63-3c8f-4e2b-8f9d-5a6b7c8d9ea1
        correlation:
            type: temporal
            rules: [6fb77778-040f-4015-9440-572aa9b6b580, trailwatch_ec2_instances_launched]
            group-by: [userIdentity.arn]
            timespan: 30m
        level: low
        ---
        title: Busy ports
        id: 2e8b5c74-4d9a-4f3c-9a0e-6b7c8d9eafb2
        correlation:
            type: value_sum
            rules: [6fb77778-040f-4015-9440-572aa9b6b580]
            group-by: [awsRegion]
            timespan: 5m
            condition: {gte: 1000, field: requestParameters.ipPermissions.items.fromPort}
        level: low
        """

    /// Writes `events` into `files` Records files, in a shuffled order, under fresh random names.
    static func writeCorpus(_ events: [String], files: Int, seed: UInt64, into directory: URL) throws {
        var generator = Generator(state: seed)
        var shuffled = events
        shuffled.shuffle(using: &generator)
        var buckets = [[String]](repeating: [], count: files)
        for (index, event) in shuffled.enumerated() { buckets[index % files].append(event) }
        for (index, bucket) in buckets.enumerated() where !bucket.isEmpty {
            let name = String(generator.next() % 1_000_000, radix: 16) + "_\(index).json"
            let text = "{\"Records\":[" + bucket.joined(separator: ",") + "]}"
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    /// The alerts without what legitimately depends on file layout (the origin path and line).
    static func canonical(_ result: ScanResult) -> [String] {
        result.alerts.map { alert in
            var copy = alert
            copy.origin = nil
            return copy.jsonRecord.rendered()
        }
    }

    static func scan(_ directory: URL, rules: URL, workers: Int) async throws -> ScanResult {
        var request = ScanRequest(paths: [directory.path])
        request.ruleTrees = [rules.path]
        request.workers = workers
        return try await Scanner.run(request)
    }

    @Test(arguments: [1 as UInt64, 2, 3, 4])
    func shufflingFilesAndRecordsDoesNotChangeTheAlerts(seed: UInt64) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-shuffle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let rules = root.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try Self.extraCorrelations.write(
            to: rules.appendingPathComponent("extra_correlations.yml"), atomically: true, encoding: .utf8)
        let events = try Self.packCorrelationEvents()
        #expect(events.count > 150)

        let reference = root.appendingPathComponent("ordered")
        try FileManager.default.createDirectory(at: reference, withIntermediateDirectories: true)
        try ("{\"Records\":[" + events.joined(separator: ",") + "]}").write(
            to: reference.appendingPathComponent("all.json"), atomically: true, encoding: .utf8)
        let expected = Self.canonical(try await Self.scan(reference, rules: rules, workers: 1))
        let correlationAlerts = expected.filter { $0.contains("\"correlation\":") }
        #expect(correlationAlerts.count >= 10, "the corpus must exercise the correlations")
        for type in ["event_count", "temporal_ordered", "value_count", "temporal", "value_sum"] {
            #expect(correlationAlerts.contains { $0.contains("\"type\":\"\(type)\"") }, "no \(type) alert")
        }

        let shuffled = root.appendingPathComponent("shuffled-\(seed)")
        try FileManager.default.createDirectory(at: shuffled, withIntermediateDirectories: true)
        try Self.writeCorpus(events, files: 7 + Int(seed), seed: seed, into: shuffled)
        for workers in [1, 2, 3] {
            let actual = Self.canonical(try await Self.scan(shuffled, rules: rules, workers: workers))
            #expect(actual == expected, "seed \(seed), \(workers) workers")
        }
    }

    /// The same property on the real grycap delivery files: file order and record order inside files shuffled.
    @Test func shufflingTheRealCorpusDoesNotChangeTheAlerts() async throws {
        guard let shared = Repository.shared else {
            print("skipped: ../shared is absent")
            return
        }
        let source = shared.appendingPathComponent("data/cloudtrail/grycap").path
        var events: [String] = []
        var request = ScanRequest(paths: [source])
        request.workers = 2
        let baseline = try await Scanner.run(request)
        let (states, _) = try await readRecords(
            options: InputOptions(paths: [source]), makeState: { [String]() },
            visit: { state, event in state.append(event.rawJSON) })
        for state in states { events += state }
        #expect(baseline.correlation.statistics.firings >= 10)

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-shuffle-real-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Self.writeCorpus(events, files: 97, seed: 42, into: root)
        var shuffledRequest = ScanRequest(paths: [root.path])
        shuffledRequest.workers = 2
        let shuffled = try await Scanner.run(shuffledRequest)
        #expect(Self.canonical(shuffled) == Self.canonical(baseline))
    }
}
