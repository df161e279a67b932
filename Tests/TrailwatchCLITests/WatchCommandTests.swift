import Foundation
import Testing
import TrailwatchServer

/// `trailwatch watch` as a user runs it, and the kill test: SIGKILL at random points while files arrive, restart
/// with the same checkpoint, and the delivered alert set equals one clean run's, with nothing repeated.
@Suite(.serialized)
struct WatchCommandTests {
    static let executable = CommandLineTests.executable

    /// Runs the executable to its end without blocking a thread of the test pool (other suites run meanwhile):
    /// output goes through files, and the end is polled.
    static func run(_ arguments: [String]) async throws -> CommandLineTests.Run {
        let folder = try CommandLineTests.temporaryDirectory().path
        FileManager.default.createFile(atPath: folder + "/out", contents: nil)
        FileManager.default.createFile(atPath: folder + "/err", contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/err"))
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try await waitForExit(process)
        try out.close()
        try err.close()
        return CommandLineTests.Run(
            status: process.terminationStatus,
            stdout: try String(contentsOfFile: folder + "/out", encoding: .utf8),
            stderr: try String(contentsOfFile: folder + "/err", encoding: .utf8))
    }

    /// Waits for a child to end (at most 120 s, then kills it), polling.
    static func waitForExit(_ process: Process) async throws {
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    static func start(_ arguments: [String], stdout: FileHandle? = nil) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = stdout ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func ids(inJSONLines path: String) -> [String] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["alert_id"] as? String
                ?? "<bad line: \(line.prefix(60))>"
        }
    }

    /// The example delivery files plus generated ones (more alerts), relative paths, oldest delivery first.
    static func corpus(in folder: String) throws -> [String] {
        let examples = Repository.examples
        var files: [(String, Data)] = []
        let enumerator = FileManager.default.enumerator(atPath: examples)
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasSuffix(".json.gz") {
                files.append((relative, try Data(contentsOf: URL(fileURLWithPath: examples + "/" + relative))))
            }
        }
        for hour in 0..<8 {
            let stamp = String(format: "20240516T%02d05Z", hour + 1)
            let name =
                "AWSLogs/123456789012/CloudTrail/eu-west-1/2024/05/16/"
                + "123456789012_CloudTrail_eu-west-1_\(stamp)_gen\(hour).json"
            // Hours 2 and 3 hold a burst of 12 changes by one identity in 11 minutes, across two files: the
            // built-in burst correlation (10 in 10 minutes) fires across files, and across kills.
            let times: [String] =
                switch hour {
                case 2: (50..<56).map { String(format: "2024-05-16T02:%02d:00Z", $0) }
                case 3: (56..<62).map { String(format: "2024-05-16T%02d:%02d:00Z", 2 + $0 / 60, $0 % 60) }
                default: (0..<3).map { String(format: "2024-05-16T%02d:0%d:00Z", hour, $0) }
                }
            let events = times.enumerated().map { index, time in
                Self.openIngress(id: "gen-\(hour)-\(index)", time: time)
            }
            files.append((name, Data(("{\"Records\":[" + events.joined(separator: ",") + "]}").utf8)))
        }
        for (relative, data) in files {
            let path = folder + "/.corpus/" + relative
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: path))
        }
        func stamp(_ path: String) -> String {
            (path as NSString).lastPathComponent.split(separator: "_")[3].description
        }
        return files.map(\.0).sorted { stamp($0) < stamp($1) }
    }

    static func openIngress(id: String, time: String) -> String {
        "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\","
            + "\"arn\":\"arn:aws:iam::123456789012:user/bob\","
            + "\"accountId\":\"123456789012\"},\"eventTime\":\"\(time)\",\"eventSource\":\"ec2.amazonaws.com\","
            + "\"eventName\":\"AuthorizeSecurityGroupIngress\",\"awsRegion\":\"eu-west-1\","
            + "\"sourceIPAddress\":\"198.51.100.4\","
            + "\"requestParameters\":{\"groupId\":\"sg-0aa\",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\","
            + "\"fromPort\":3389,\"toPort\":3389,\"ipRanges\":{\"items\":[{\"cidrIp\":\"0.0.0.0/0\"}]}}]}},"
            + "\"responseElements\":{\"_return\":true},\"eventID\":\"\(id)\",\"eventType\":\"AwsApiCall\","
            + "\"recipientAccountId\":\"123456789012\"}"
    }

    /// Copies a corpus file into the watched tree under a temporary name, then renames it (as `aws s3 sync`).
    static func deliver(_ relative: String, from folder: String, to watched: String) throws {
        let target = watched + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: folder + "/.corpus/" + relative, toPath: target + ".Xy12Ab")
        try FileManager.default.moveItem(atPath: target + ".Xy12Ab", toPath: target)
    }

    @Test func helpExplainsOptionsAndExitStatuses() async throws {
        let run = try await Self.run(["watch", "--help"])
        #expect(run.status == 0)
        for text in ["--checkpoint", "--once", "--webhook", "--dead-letter", "--max-lateness", "Exit status"] {
            #expect(run.stdout.contains(text), "missing \(text)")
        }
    }

    @Test func stdoutPrintsJSONLinesOrTheTimeline() async throws {
        let folder = try CommandLineTests.temporaryDirectory().path
        let base = ["watch", Repository.examples, "--once", "--quiet"]
        let jsonl = try await Self.run(base + ["--checkpoint", folder + "/a.sqlite"])
        #expect(jsonl.status == 0)
        let lines = jsonl.stdout.split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.hasPrefix("{\"alert_id\":\"") })
        let table = try await Self.run(base + ["--checkpoint", folder + "/b.sqlite", "--format", "table"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("Ingress/Egress Security Group Modification"))
        #expect(!table.stdout.contains("alert_id"))
    }

    @Test func badSetupExitsWith64AndSaysWhy() async throws {
        let folder = try CommandLineTests.temporaryDirectory()
        let missing = try await Self.run([
            "watch", folder.path + "/nope", "--once", "--checkpoint", folder.path + "/c.sqlite",
        ])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("cannot watch"))
        let badRules = try await Self.run([
            "watch", folder.path, "--once", "--no-builtin", "--rules", folder.path + "/no-rules-here",
            "--checkpoint", folder.path + "/c.sqlite",
        ])
        #expect(badRules.status == 64)
        let badOutput = try await Self.run([
            "watch", folder.path, "--once", "--checkpoint", folder.path + "/c.sqlite", "--output",
            folder.path + "/missing/alerts.jsonl",
        ])
        #expect(badOutput.status == 64)
        #expect(badOutput.stderr.contains("--output \(folder.path)/missing/alerts.jsonl: cannot write there"))
    }

    @Test func theAlertStoreGetsEachAlertOnceAcrossRuns() async throws {
        let folder = try CommandLineTests.temporaryDirectory().path
        let files = try Self.corpus(in: folder)
        let watched = folder + "/watched"
        for file in files.prefix(files.count / 2) { try Self.deliver(file, from: folder, to: watched) }
        let arguments = [
            "watch", watched, "--once", "--checkpoint", folder + "/c.sqlite", "--store", folder + "/alerts.sqlite",
            "--output", folder + "/alerts.jsonl", "--quiet",
        ]
        #expect(try await Self.run(arguments).status == 0)
        for file in files.dropFirst(files.count / 2) { try Self.deliver(file, from: folder, to: watched) }
        // A second run, and a third with a fresh checkpoint: every alert is delivered again to the store.
        #expect(try await Self.run(arguments).status == 0)
        let fresh = arguments.map { $0 == folder + "/c.sqlite" ? folder + "/c2.sqlite" : $0 }
        #expect(try await Self.run(fresh).status == 0)
        let expected = Set(Self.ids(inJSONLines: folder + "/alerts.jsonl"))
        let stored = try await AlertStore(path: folder + "/alerts.sqlite").alerts(matching: .init(pageSize: 500))
        #expect(!expected.isEmpty)
        #expect(stored.total == expected.count)
        #expect(Set(stored.items.compactMap(\.alertId)) == expected)
        // Each alert of an event keeps its event (correlation alerts have none of their own).
        #expect(stored.items.allSatisfy { $0.source == "watch" && ($0.event != nil || $0.eventId == nil) })
    }

    @Test func sigtermStopsGracefullyWithStatus0() async throws {
        let folder = try CommandLineTests.temporaryDirectory().path
        let process = try Self.start([
            "watch", folder, "--checkpoint", folder + "/c.sqlite", "--output", folder + "/a.jsonl",
        ])
        try await Task.sleep(for: .seconds(2))
        kill(process.processIdentifier, SIGTERM)
        try await Self.waitForExit(process)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }

    /// In the real executable (its own threads: the test process may be busy with other suites), the time from
    /// a file renamed into place to its alert in the output file (that file's modification time).
    @Test func aNewFileIsEvaluatedWithinOneSecondWithInotify() async throws {
        let folder = try CommandLineTests.temporaryDirectory().path
        let watched = folder + "/watched"
        try FileManager.default.createDirectory(atPath: watched, withIntermediateDirectories: true)
        let output = folder + "/alerts.jsonl"
        let process = try Self.start(["watch", watched, "--checkpoint", folder + "/c.sqlite", "--output", output])
        defer { kill(process.processIdentifier, SIGKILL) }
        // Started: the output file exists once the sinks are prepared.
        var waited = 0
        while !FileManager.default.fileExists(atPath: output) && waited < 6000 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        var delays: [Double] = []
        for index in 0..<7 {
            let body = "{\"Records\":[" + Self.openIngress(id: "lat-\(index)", time: "2024-05-16T10:00:00Z") + "]}"
            let temporary = watched + "/.lat-\(index).json.tmp"
            try Data(body.utf8).write(to: URL(fileURLWithPath: temporary))
            let before = Self.ids(inJSONLines: output).count
            let renamed = Date()
            try FileManager.default.moveItem(atPath: temporary, toPath: watched + "/lat-\(index).json")
            let deadline = Date().addingTimeInterval(60)
            while Self.ids(inJSONLines: output).count == before && Date() < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            let written = try FileManager.default.attributesOfItem(atPath: output)[.modificationDate] as? Date
            delays.append(written.map { $0.timeIntervalSince(renamed) } ?? 60)
            try await Task.sleep(for: .milliseconds(50))
        }
        let median = delays.sorted()[delays.count / 2]
        print("watch latency (rename → alert in the output): median \(String(format: "%.3f", median)) s, "
            + "max \(String(format: "%.3f", delays.max() ?? 0)) s over \(delays.count) files")
        #expect(median < 1.0)
    }

    @Test(.timeLimit(.minutes(3)))
    func killedAtRandomPointsDeliversEveryAlertOnce() async throws {
        let folder = try CommandLineTests.temporaryDirectory().path
        let files = try Self.corpus(in: folder)
        let receiver = try TestReceiver()
        try receiver.set("slow 0.08")
        let watched = folder + "/watched"
        try FileManager.default.createDirectory(atPath: watched, withIntermediateDirectories: true)
        let output = folder + "/alerts.jsonl"
        let arguments = [
            "watch", watched, "--checkpoint", folder + "/checkpoint.sqlite", "--output", output,
            "--webhook", receiver.url, "--webhook-retry-delay", "0.05", "--webhook-timeout", "2", "--quiet",
        ]
        // TRAILWATCH_KILL_SEED replays another sequence of kills.
        let seed = ProcessInfo.processInfo.environment["TRAILWATCH_KILL_SEED"].flatMap { UInt64($0) } ?? 20_240_514
        var random = CorrelationShuffleTests.Generator(state: seed)
        var next = 0
        var kills = 0
        while kills < 8 {
            let process = try Self.start(arguments)
            let batch = Int.random(in: 1...4, using: &random)
            for _ in 0..<batch where next < files.count {
                try Self.deliver(files[next], from: folder, to: watched)
                next += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...250, using: &random)))
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 100...1500, using: &random)))
            kill(process.processIdentifier, SIGKILL)
            try await Self.waitForExit(process)
            #expect(process.terminationReason == .uncaughtSignal)
            kills += 1
        }
        while next < files.count {
            try Self.deliver(files[next], from: folder, to: watched)
            next += 1
        }
        let beforeDrain = Self.ids(inJSONLines: output).count
        let drain = try Self.start(arguments + ["--once"])
        try await Self.waitForExit(drain)
        #expect(drain.terminationStatus == 0)

        // One clean run over the same files.
        let clean = folder + "/clean"
        for file in files { try Self.deliver(file, from: folder, to: clean) }
        let cleanOutput = folder + "/clean.jsonl"
        let reference = try Self.start([
            "watch", clean, "--once", "--checkpoint", folder + "/clean.sqlite", "--output", cleanOutput, "--quiet",
        ])
        try await Self.waitForExit(reference)
        #expect(reference.terminationStatus == 0)
        let expected = Set(Self.ids(inJSONLines: cleanOutput))
        let scan = try await Self.run(["scan", clean, "--format", "jsonl", "--quiet"])
        #expect(scan.stdout.split(separator: "\n").count == expected.count)

        let delivered = Self.ids(inJSONLines: output)
        print(
            "kill test (seed \(seed)): \(kills) kills, \(files.count) files, \(expected.count) alerts expected, "
                + "\(beforeDrain) in the output before the final --once, \(delivered.count) lines in the output, "
                + "\(receiver.keys.count) webhook requests "
                + "(\(Set(receiver.keys).count) distinct)")
        #expect(!expected.isEmpty)
        #expect(((try? String(contentsOfFile: cleanOutput, encoding: .utf8)) ?? "").contains("\"correlation\""))
        #expect(delivered.count == Set(delivered).count, "a line was repeated in the output")
        #expect(Set(delivered) == expected)
        #expect(Set(receiver.keys) == expected)
    }
}

/// `scripts/webhook-receiver.py` in a subprocess (see its header for the modes).
final class TestReceiver: @unchecked Sendable {
    let process = Process()
    let folder: String
    let port: Int
    var url: String { "http://127.0.0.1:\(port)/hook" }

    init() throws {
        folder = try CommandLineTests.temporaryDirectory().path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Repository.root.appendingPathComponent("scripts/webhook-receiver.py").path, folder + "/mode",
            folder + "/received.log",
        ]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) {
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            kill(process.processIdentifier, SIGKILL)
            throw CocoaError(.fileReadUnknown)
        }
        self.port = port
    }

    /// Atomically: a request reading a mode file rewritten in place saw it empty (`ok`).
    func set(_ mode: String) throws {
        try Data(mode.utf8).write(to: URL(fileURLWithPath: folder + "/mode"), options: .atomic)
    }

    var keys: [String] {
        let text = (try? String(contentsOfFile: folder + "/received.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
    }

    deinit {
        // SIGKILL: a child spawned from a test thread inherits its blocked signals, SIGTERM included.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
