import Foundation

/// The test webhook receiver (`scripts/webhook-receiver.py`) on 127.0.0.1, in a Python subprocess.
final class WebhookReceiver: @unchecked Sendable {
    let process = Process()
    let folder: String
    let port: Int
    var url: String { "http://127.0.0.1:\(port)/hook" }
    var modeFile: String { folder + "/mode" }
    var logFile: String { folder + "/received.log" }

    init() throws {
        folder = try Fixtures.temporaryDirectory("receiver")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Fixtures.receiverScript, folder + "/mode", folder + "/received.log"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        // The first line is the port.
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) {
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            kill(process.processIdentifier, SIGKILL)
            throw ReceiverError(message: "the webhook receiver did not start")
        }
        self.port = port
    }

    struct ReceiverError: Error { var message: String }

    /// ok, fail, refuse, hang, or slow with a delay.
    /// Written atomically (a temporary file renamed into place): a request reading a file being rewritten in
    /// place saw it empty, which means `ok`, and was accepted in the middle of a `fail` → `hang` switch.
    func set(_ mode: String) throws { try Data(mode.utf8).write(to: URL(fileURLWithPath: modeFile), options: .atomic) }

    /// Idempotency keys of the accepted requests, in arrival order (repeats kept).
    var keys: [String] {
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
    }

    /// Whether each accepted request's Idempotency-Key equals the body's alert_id.
    var keysMatchBodies: Bool {
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").allSatisfy { line in
            let parts = line.split(separator: " ")
            return parts.count == 2 && parts[0] == parts[1]
        }
    }

    deinit {
        // SIGKILL: a child spawned from a test thread inherits its blocked signals, SIGTERM included.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
