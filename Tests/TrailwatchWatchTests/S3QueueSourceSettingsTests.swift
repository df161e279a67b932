import AWSClient
import Foundation
import Testing
import TrailwatchKit

@testable import TrailwatchWatch

/// `trailwatch watch s3://… --queue URL`: settings checked and resolved before anything is contacted.
@Suite struct S3QueueSourceSettingsTests {
    static let queue = "https://sqs.eu-west-1.amazonaws.com/123456789012/trail-events"
    static let keys = ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"]

    @Test func aFolderTargetHasNoSettingsAndRefusesAWSOptions() throws {
        #expect(try S3QueueSource.settings(target: "/data/AWSLogs", queueURL: nil) == nil)
        #expect {
            _ = try S3QueueSource.settings(target: "/data/AWSLogs", queueURL: Self.queue, region: "eu-west-1")
        } throws: { error in
            "\(error)".contains("--queue, --region only apply to an s3://bucket/prefix target")
        }
    }

    @Test func anS3TargetNeedsAQueue() throws {
        #expect {
            _ = try S3QueueSource.settings(target: "s3://trail/AWSLogs/", queueURL: nil)
        } throws: { error in
            "\(error)".contains("watching s3://trail/AWSLogs/ needs --queue URL")
        }
        let settings = try S3QueueSource.settings(
            target: "s3://trail/AWSLogs/", queueURL: Self.queue, endpointURL: "http://127.0.0.1:5000")
        #expect(settings?.location == "s3://trail/AWSLogs/")
        #expect(settings?.endpointURL == "http://127.0.0.1:5000")
    }

    @Test func makeResolvesRegionFromTheQueueAndKeepsTheLocation() throws {
        let source = try S3QueueSource.make(
            .init(location: "s3://trail/AWSLogs/", queueURL: Self.queue), environment: Self.keys,
            homeDirectory: "/nonexistent")
        #expect(source.location == S3Location(bucket: "trail", prefix: "AWSLogs/"))
        #expect(source.feed.options.location == source.location)
        #expect(source.feed.options.queueURL == Self.queue)
        #expect(source.feed.s3.http.configuration.region == "eu-west-1")
        #expect(source.description.contains("s3://trail/AWSLogs/"))
    }

    @Test(arguments: [
        ("s3:/trail", "https://sqs.eu-west-1.amazonaws.com/1/q", nil, "is not an S3 location"),
        ("s3://trail/", "sqs-queue", nil, "--queue 'sqs-queue' is not an http(s) URL"),
        ("s3://trail/", "https://sqs.eu-west-1.amazonaws.com/1/q", "localhost:5000", "--endpoint-url 'localhost:5000'"),
    ])
    func badSettingsAreNamed(location: String, queue: String, endpoint: String?, expected: String) {
        #expect {
            _ = try S3QueueSource.make(
                .init(location: location, queueURL: queue, endpointURL: endpoint), environment: Self.keys,
                homeDirectory: "/nonexistent")
        } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test func missingCredentialsAreNamed() {
        #expect {
            _ = try S3QueueSource.make(
                .init(location: "s3://trail/", queueURL: Self.queue), environment: [:], homeDirectory: "/nonexistent")
        } throws: { error in
            let text = "\(error)"
            return text.contains("cannot watch s3://trail/") && text.lowercased().contains("credentials")
        }
    }

    @Test func onceIsRefusedAndTheCheckpointPathDoesNotDependOnTheWorkingDirectory() throws {
        var configuration = WatchConfiguration(root: "s3://trail/AWSLogs/")
        configuration.s3 = .init(location: "s3://trail/AWSLogs/", queueURL: Self.queue)
        configuration.once = true
        #expect(throws: WatchError.self) { try configuration.checkSource() }
        configuration.once = false
        try configuration.checkSource()
        let path = WatchConfiguration.defaultCheckpointPath(
            root: "s3://trail/AWSLogs/", environment: ["XDG_STATE_HOME": "/state"])
        // The location as written, not resolved against the working directory like a folder.
        var hash = StableHash()
        hash.combine("s3://trail/AWSLogs/")
        #expect(path == "/state/trailwatch/watch-" + hash.hex.prefix(16) + ".sqlite")
    }
}
