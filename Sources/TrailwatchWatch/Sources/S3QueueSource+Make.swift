import AWSClient
import Foundation
import Logging

extension S3QueueSource {
    /// What `trailwatch watch s3://bucket/prefix --queue URL` is told about AWS.
    public struct Settings: Sendable, Hashable {
        /// `s3://bucket/prefix`.
        public var location: String
        /// `--queue`: the SQS queue URL the bucket's notifications go to.
        public var queueURL: String
        /// `--endpoint-url`: one endpoint for S3 and SQS (moto, LocalStack, MinIO); nil: AWS, or `AWS_ENDPOINT_URL`.
        public var endpointURL: String?
        /// `--profile`: a profile of `~/.aws/credentials` / `~/.aws/config`.
        public var profile: String?
        /// `--region`; nil: the environment, the profile, else the queue URL's host.
        public var region: String?

        public init(
            location: String, queueURL: String, endpointURL: String? = nil, profile: String? = nil,
            region: String? = nil
        ) {
            self.location = location
            self.queueURL = queueURL
            self.endpointURL = endpointURL
            self.profile = profile
            self.region = region
        }
    }

    /// Whether a watch target names S3 (`s3://…`) rather than a folder.
    public static func isS3Location(_ target: String) -> Bool { target.hasPrefix("s3://") }

    /// A source from command-line settings: the location and queue URL are checked, credentials, region and
    /// endpoint resolved as the AWS CLI does (see docs/aws.md).
    /// - Parameter feedOptions: changes to the feed's defaults (20 s long polls, 10 messages, CloudTrail suffixes).
    /// - Throws: ``WatchError`` naming the setting and what is wrong with it; nothing is contacted yet, so bad
    ///   credentials or a missing queue show when the stream starts.
    public static func make(
        _ settings: Settings, environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String? = nil, logger: Logger = Logger(label: "trailwatch.watch.s3"),
        feedOptions: (inout S3NotificationFeed.Options) -> Void = { _ in }
    ) throws(WatchError) -> S3QueueSource {
        let location: S3Location
        do {
            location = try S3Location(parsing: settings.location)
        } catch {
            throw WatchError("cannot watch \(error)")
        }
        try checkURL(settings.queueURL, option: "--queue", example: "https://sqs.REGION.amazonaws.com/ACCOUNT/QUEUE")
        if let endpointURL = settings.endpointURL {
            try checkURL(endpointURL, option: "--endpoint-url", example: "http://127.0.0.1:5000")
        }
        let configuration: AWSClientConfiguration
        do {
            configuration = try AWSClientConfiguration.resolved(
                profile: settings.profile, region: settings.region, queueURL: settings.queueURL,
                endpointURL: settings.endpointURL,
                resolver: AWSConfigurationResolver(environment: environment, homeDirectory: homeDirectory))
        } catch {
            throw WatchError("cannot watch \(settings.location): \(error)")
        }
        var options = S3NotificationFeed.Options(queueURL: settings.queueURL, location: location)
        feedOptions(&options)
        return S3QueueSource(location: location, configuration: configuration, feedOptions: options, logger: logger)
    }

    private static func checkURL(_ text: String, option: String, example: String) throws(WatchError) {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
            ["http", "https"].contains(scheme), url.host?.isEmpty == false
        else {
            throw WatchError("\(option) '\(text)' is not an http(s) URL (like \(example))")
        }
    }
}

extension S3QueueSource {
    /// The command line's S3 settings: nil for a folder target given no AWS option.
    /// - Throws: ``WatchError`` when an `s3://` target lacks `--queue`, or a folder target has AWS options.
    public static func settings(
        target: String, queueURL: String?, endpointURL: String? = nil, profile: String? = nil, region: String? = nil
    ) throws(WatchError) -> Settings? {
        guard isS3Location(target) else {
            let given = [("--queue", queueURL), ("--endpoint-url", endpointURL), ("--profile", profile),
                         ("--region", region)].filter { $0.1 != nil }.map(\.0)
            if !given.isEmpty {
                let options = given.joined(separator: ", ")
                throw WatchError("\(options) only apply to an s3://bucket/prefix target, not \(target)")
            }
            return nil
        }
        guard let queueURL, !queueURL.isEmpty else {
            throw WatchError("watching \(target) needs --queue URL: the SQS queue its object notifications go to")
        }
        return Settings(
            location: target, queueURL: queueURL, endpointURL: endpointURL, profile: profile, region: region)
    }
}
