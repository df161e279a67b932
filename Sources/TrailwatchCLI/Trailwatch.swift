import ArgumentParser

/// The `trailwatch` command tree. Each command's body calls library code that tests reach directly.
public struct Trailwatch: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trailwatch",
        abstract: "Run Sigma detections over AWS CloudTrail logs.",
        discussion: """
            Start with `trailwatch scan AWSLogs/` to run the built-in detections over a CloudTrail tree, and
            `trailwatch rules lint DIR` to validate your own Sigma rules.
            """,
        version: "0.1.0",
        subcommands: [ScanCommand.self, WatchCommand.self, Rules.self, ConvertCommand.self, ServeCommand.self]
    )

    public init() {}
}
