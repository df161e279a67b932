import Foundation
import Testing

/// The `trailwatch` executable as a user runs it: exit statuses, stdin, hostile input.
@Suite(.serialized)
struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The built executable sits next to this test bundle's resources in the build products folder.
    static let executable: URL = Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("trailwatch")

    static func run(_ arguments: [String], stdin: Data? = nil) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = Repository.root
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tw-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func scanExamplesAsJSONLines() throws {
        let run = try Self.run(["scan", "Examples/cloudtrail", "--format", "jsonl"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 8)
        #expect(lines.allSatisfy { $0.hasPrefix("{\"ruleId\":") })
        #expect(run.stderr.contains("183 events read"))
    }

    @Test func failOnDetection() throws {
        #expect(try Self.run(["scan", "Examples/cloudtrail", "-q", "--fail-on-detection", "high"]).status == 1)
        #expect(try Self.run(["scan", "Examples/cloudtrail", "-q", "--fail-on-detection", "critical"]).status == 0)
    }

    @Test func readsStandardInput() throws {
        let event = #"{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupEgress","awsRegion":"us-east-1","eventID":"0b5c2c3e-0000-4000-8000-000000000001","requestParameters":{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"-1","ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}}}"#
        let run = try Self.run(["scan", "-", "--format", "jsonl"], stdin: Data((event + "\n").utf8))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"eventName\":\"AuthorizeSecurityGroupEgress\""))
        #expect(run.stdout.contains("egress added: all traffic to 0.0.0.0/0"))
    }

    @Test func badInputsAreNamedAndTheRestIsRead() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A good file, a corrupt gzip, random bytes, an empty file and a truncated document.
        let examplesDay = URL(fileURLWithPath: Repository.examples)
            .appendingPathComponent("AWSLogs/123456789012/CloudTrail/eu-west-1/2024/05/15")
        for name in try FileManager.default.contentsOfDirectory(atPath: examplesDay.path) {
            try FileManager.default.copyItem(
                at: examplesDay.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        var corrupt = Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03])
        corrupt.append(Data(repeating: 0xFF, count: 64))
        try corrupt.write(to: directory.appendingPathComponent("corrupt.json.gz"))
        var generator = SystemRandomNumberGenerator()
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
            .write(to: directory.appendingPathComponent("random.json"))
        try Data().write(to: directory.appendingPathComponent("empty.json"))
        try Data(#"{"Records":[{"eventName":"AuthorizeSecurityGroupIngress","#.utf8)
            .write(to: directory.appendingPathComponent("truncated.json"))
        let run = try Self.run(["scan", directory.path, "--format", "jsonl"])
        #expect(run.status == 2, "\(run.stderr)")
        for name in ["corrupt.json.gz", "random.json", "empty.json", "truncated.json"] {
            #expect(run.stderr.contains(name), "no message names \(name): \(run.stderr)")
        }
        // The good files were still scanned.
        #expect(run.stdout.contains("RevokeSecurityGroupIngress"))
    }

    @Test func usageErrorsExit64() throws {
        #expect(try Self.run(["scan"]).status == 64)
        #expect(try Self.run(["scan", "--no-builtin", "Examples"]).status == 64)
        let missing = try Self.run(["scan", "--rules", "/no/such/rules", "Examples/cloudtrail"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("/no/such/rules"))
    }

    @Test func helpExplainsTheCommands() throws {
        let help = try Self.run(["--help"])
        #expect(help.status == 0)
        for command in ["scan", "rules"] { #expect(help.stdout.contains(command)) }
        let scanHelp = try Self.run(["scan", "--help"])
        for option in ["--rules", "--include-failed", "--from", "--format", "--fail-on-detection", "--oldest-first"] {
            #expect(scanHelp.stdout.contains(option))
        }
    }
}
