import ArgumentParser
import Testing
import TrailwatchCLI

/// `serve --watch …`: the options are checked together before anything starts.
struct ServeWatchOptionTests {
    static let queue = "https://sqs.eu-west-1.amazonaws.com/123456789012/trail-objects"

    @Test(arguments: [
        (["serve", "--queue", queue], "need --watch"),
        (["serve", "--checkpoint", "/tmp/cp.sqlite"], "need --watch"),
        (["serve", "--watch", "s3://trail/AWSLogs/"], "needs --queue URL"),
        (["serve", "--watch", "/data/AWSLogs", "--queue", queue], "only apply to an s3://bucket/prefix target"),
    ])
    func mismatchedWatchOptionsAreRefusedWithTheReason(arguments: [String], reason: String) {
        do {
            _ = try Trailwatch.parseAsRoot(arguments)
            Issue.record("accepted: \(arguments)")
        } catch {
            #expect(Trailwatch.message(for: error).contains(reason), "\(Trailwatch.message(for: error))")
        }
    }

    @Test func watchOptionsThatFitAreAccepted() throws {
        _ = try Trailwatch.parseAsRoot(["serve", "--watch", "/data/AWSLogs", "--checkpoint", "/tmp/cp.sqlite"])
        _ = try Trailwatch.parseAsRoot([
            "serve", "--watch", "s3://trail/AWSLogs/", "--queue", Self.queue, "--endpoint-url", "http://127.0.0.1:5000",
            "--profile", "audit", "--region", "eu-west-1",
        ])
    }
}
