import ArgumentParser

/// The `trailwatch` command tree. Each command's body calls library code that tests reach directly.
public struct Trailwatch: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trailwatch",
        abstract: "Run Sigma detections over AWS CloudTrail logs.",
        version: "0.1.0",
        subcommands: [Rules.self]
    )

    public init() {}
}
