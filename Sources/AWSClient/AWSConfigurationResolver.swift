import Foundation

/// Where the AWS settings come from, in the order the AWS CLI and SDKs use, read from an environment dictionary and
/// a home directory that tests can replace (so nothing ever reads the real `~/.aws` by accident).
///
/// Credentials: explicit credentials → a profile named by the caller → `AWS_ACCESS_KEY_ID` /
/// `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` → the profile `AWS_PROFILE` names, else `default`, from the shared
/// credentials file (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`) and then the config file
/// (`AWS_CONFIG_FILE`, else `~/.aws/config`, with `[profile NAME]` sections).
///
/// Region: explicit → `AWS_REGION` → `AWS_DEFAULT_REGION` → the profile's `region` in the config file → the
/// region in an SQS queue URL's host.
public struct AWSConfigurationResolver: Sendable {
    /// The environment variables consulted.
    public var environment: [String: String]
    /// The home directory that `~/.aws` is under.
    public var homeDirectory: String

    /// A resolver over the given environment (default: the process's) and home directory (default: `HOME`).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, homeDirectory: String? = nil) {
        self.environment = environment
        self.homeDirectory = homeDirectory ?? environment["HOME"] ?? NSHomeDirectory()
    }

    /// The shared credentials file's path.
    public var credentialsFilePath: String {
        nonEmpty("AWS_SHARED_CREDENTIALS_FILE").map(expandTilde) ?? "\(homeDirectory)/.aws/credentials"
    }

    /// The config file's path.
    public var configFilePath: String {
        nonEmpty("AWS_CONFIG_FILE").map(expandTilde) ?? "\(homeDirectory)/.aws/config"
    }

    /// The credentials to use; see the type's documentation for the order.
    ///
    /// - Throws: `AWSConfigurationError.profileNotFound` when a named profile is in neither file,
    ///   `.incompleteProfile` when it lacks a key, `.noCredentials` (naming every place looked at) otherwise.
    public func credentials(
        explicit: AWSCredentials? = nil, profile: String? = nil
    ) throws(AWSConfigurationError)
        -> AWSCredentials
    {
        if let explicit { return explicit }
        if let profile { return try profileCredentials(profile, named: true) }
        if let accessKey = nonEmpty("AWS_ACCESS_KEY_ID") {
            guard let secret = nonEmpty("AWS_SECRET_ACCESS_KEY") else {
                throw .incompleteEnvironment("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
            }
            return AWSCredentials(
                accessKeyID: accessKey, secretAccessKey: secret, sessionToken: nonEmpty("AWS_SESSION_TOKEN"))
        }
        if let named = nonEmpty("AWS_PROFILE") {
            return try profileCredentials(named, named: true)
        }
        return try profileCredentials("default", named: false)
    }

    /// The region to use; see the type's documentation for the order.
    ///
    /// - Throws: `AWSConfigurationError.noRegion` naming every place looked at.
    public func region(
        explicit: String? = nil, profile: String? = nil, queueURL: String? = nil
    )
        throws(AWSConfigurationError) -> String
    {
        if let explicit, !explicit.isEmpty { return explicit }
        if let region = nonEmpty("AWS_REGION") ?? nonEmpty("AWS_DEFAULT_REGION") { return region }
        let profileName = profile ?? nonEmpty("AWS_PROFILE") ?? "default"
        if let config = readINI(configFilePath),
            let region = config.sections[Self.configSection(profileName)]?["region"], !region.isEmpty
        {
            return region
        }
        if let queueURL, let region = Self.region(fromQueueURL: queueURL) { return region }
        throw .noRegion(
            lookedAt: [
                "the --region option", "AWS_REGION", "AWS_DEFAULT_REGION",
                "region in profile '\(profileName)' of \(configFilePath)",
            ] + (queueURL.map { ["the queue URL \($0)"] } ?? []))
    }

    /// The region in an SQS queue URL host: `sqs.REGION.amazonaws.com` or the legacy `REGION.queue.amazonaws.com`.
    public static func region(fromQueueURL queueURL: String) -> String? {
        guard let host = URLComponents(string: queueURL)?.host?.lowercased() else { return nil }
        let labels = host.split(separator: ".").map(String.init)
        if labels.count >= 4, labels[0] == "sqs", labels[2] == "amazonaws" { return labels[1] }
        if labels.count >= 4, labels[1] == "queue", labels[2] == "amazonaws" { return labels[0] }
        return nil
    }

    private func profileCredentials(_ profile: String, named: Bool) throws(AWSConfigurationError) -> AWSCredentials {
        let credentialsFile = readINI(credentialsFilePath)
        let configFile = readINI(configFilePath)
        // The credentials file wins over the config file, key by key, as in the AWS CLI.
        let fromCredentials = credentialsFile?.sections[profile]
        let fromConfig = configFile?.sections[Self.configSection(profile)]
        guard fromCredentials != nil || fromConfig != nil else {
            if named {
                throw .profileNotFound(profile: profile, files: [credentialsFilePath, configFilePath])
            }
            throw .noCredentials(lookedAt: [
                "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
                "profile 'default' in \(credentialsFilePath)" + (credentialsFile == nil ? " (no such file)" : ""),
                "profile 'default' in \(configFilePath)" + (configFile == nil ? " (no such file)" : ""),
            ])
        }
        func value(_ key: String) -> String? {
            let found = fromCredentials?[key] ?? fromConfig?[key]
            return found?.isEmpty == false ? found : nil
        }
        guard let accessKey = value("aws_access_key_id"), let secret = value("aws_secret_access_key") else {
            throw .incompleteProfile(
                profile: profile, files: [credentialsFilePath, configFilePath],
                reason: "needs aws_access_key_id and aws_secret_access_key (only static keys are supported)"
            )
        }
        return AWSCredentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: value("aws_session_token"))
    }

    /// `default` is `[default]` in the config file; every other profile is `[profile NAME]`.
    private static func configSection(_ profile: String) -> String {
        profile == "default" ? "default" : "profile \(profile)"
    }

    private func readINI(_ path: String) -> INIFile? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return INIFile(text: String(decoding: data, as: UTF8.self))
    }

    private func nonEmpty(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }

    private func expandTilde(_ path: String) -> String {
        path.hasPrefix("~/") ? homeDirectory + path.dropFirst() : path
    }
}

/// Why credentials or a region could not be found. Each case names where the resolver looked.
public enum AWSConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No credentials anywhere.
    case noCredentials(lookedAt: [String])
    /// The named profile is in neither file.
    case profileNotFound(profile: String, files: [String])
    /// The profile exists but lacks keys.
    case incompleteProfile(profile: String, files: [String], reason: String)
    /// The environment has half a key pair.
    case incompleteEnvironment(String)
    /// No region anywhere.
    case noRegion(lookedAt: [String])

    /// A sentence naming the problem and the places looked at.
    public var description: String {
        switch self {
        case .noCredentials(let places):
            "no AWS credentials found; looked at: \(places.joined(separator: ", "))"
        case .profileNotFound(let profile, let files):
            "AWS profile '\(profile)' not found in \(files.joined(separator: " or "))"
        case .incompleteProfile(let profile, let files, let reason):
            "AWS profile '\(profile)' (\(files.joined(separator: ", "))) \(reason)"
        case .incompleteEnvironment(let reason):
            "AWS credentials in the environment are incomplete: \(reason)"
        case .noRegion(let places):
            "no AWS region found; looked at: \(places.joined(separator: ", "))"
        }
    }
}
