import Foundation
import Testing

@testable import AWSClient

@Test func credentialsDescriptionHidesTheSecret() {
    let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI")
    #expect(!credentials.description.contains("wJalrXUtnFEMI"))
    #expect(credentials.description.contains("AKIDEXAMPLE"))
}

/// A temporary home directory with `.aws/credentials` and `.aws/config`; removed by `remove()`.
struct TemporaryHome {
    let path: String

    init(credentials: String? = nil, config: String? = nil) throws {
        path = NSTemporaryDirectory() + "awsclient-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
        if let credentials {
            try credentials.write(toFile: path + "/.aws/credentials", atomically: true, encoding: .utf8)
        }
        if let config { try config.write(toFile: path + "/.aws/config", atomically: true, encoding: .utf8) }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct CredentialsChainTests {
    static let credentialsFile = """
        # a comment
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key=secret/default+key   ; inline comment

          [ work ]
        aws_access_key_id   =   AKIDWORK
        aws_secret_access_key = secret#work
        aws_session_token = tokenwork

        [broken]
        aws_access_key_id = AKIDBROKEN
        """
    static let configFile = """
        [default]
        region = eu-west-1

        ; profile with keys in the config file only
        [profile ops]
        aws_access_key_id = AKIDOPS
        aws_secret_access_key = secretops
        region = ap-south-1
        s3 =
            addressing_style = path
        """

    @Test func explicitCredentialsWin() throws {
        let resolver = AWSConfigurationResolver(environment: ["AWS_ACCESS_KEY_ID": "AKIDENV"], homeDirectory: "/none")
        let explicit = AWSCredentials(accessKeyID: "AKIDX", secretAccessKey: "x")
        #expect(try resolver.credentials(explicit: explicit) == explicit)
    }

    @Test func environmentBeforeFiles() throws {
        let home = try TemporaryHome(credentials: Self.credentialsFile)
        defer { home.remove() }
        let resolver = AWSConfigurationResolver(
            environment: [
                "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "t",
            ],
            homeDirectory: home.path
        )
        #expect(
            try resolver.credentials()
                == AWSCredentials(accessKeyID: "AKIDENV", secretAccessKey: "envsecret", sessionToken: "t"))
    }

    @Test func defaultProfileFromTheCredentialsFile() throws {
        let home = try TemporaryHome(credentials: Self.credentialsFile)
        defer { home.remove() }
        let resolver = AWSConfigurationResolver(environment: [:], homeDirectory: home.path)
        #expect(
            try resolver.credentials()
                == AWSCredentials(accessKeyID: "AKIDDEFAULT", secretAccessKey: "secret/default+key"))
    }

    @Test func profileFromArgumentOrEnvironment() throws {
        let home = try TemporaryHome(credentials: Self.credentialsFile, config: Self.configFile)
        defer { home.remove() }
        let expected = AWSCredentials(
            accessKeyID: "AKIDWORK", secretAccessKey: "secret#work", sessionToken: "tokenwork")
        let plain = AWSConfigurationResolver(environment: [:], homeDirectory: home.path)
        #expect(try plain.credentials(profile: "work") == expected)
        let byEnvironment = AWSConfigurationResolver(environment: ["AWS_PROFILE": "work"], homeDirectory: home.path)
        #expect(try byEnvironment.credentials() == expected)
        // A profile named by the caller beats keys in the environment, as with the AWS CLI's --profile.
        let both = AWSConfigurationResolver(
            environment: ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s"], homeDirectory: home.path
        )
        #expect(try both.credentials(profile: "work") == expected)
        #expect(
            try plain.credentials(profile: "ops")
                == AWSCredentials(accessKeyID: "AKIDOPS", secretAccessKey: "secretops"))
    }

    @Test func filesNamedByTheEnvironment() throws {
        let home = try TemporaryHome()
        defer { home.remove() }
        let credentials = home.path + "/elsewhere-credentials"
        try "[default]\naws_access_key_id=AKIDELSE\naws_secret_access_key=else\n"
            .write(toFile: credentials, atomically: true, encoding: .utf8)
        let config = home.path + "/elsewhere-config"
        try "[default]\nregion = sa-east-1\n".write(toFile: config, atomically: true, encoding: .utf8)
        let resolver = AWSConfigurationResolver(
            environment: ["AWS_SHARED_CREDENTIALS_FILE": credentials, "AWS_CONFIG_FILE": config],
            homeDirectory: home.path
        )
        #expect(try resolver.credentials().accessKeyID == "AKIDELSE")
        #expect(try resolver.region() == "sa-east-1")
    }

    @Test func missingProfileNamesTheFiles() throws {
        let home = try TemporaryHome(credentials: Self.credentialsFile, config: Self.configFile)
        defer { home.remove() }
        let resolver = AWSConfigurationResolver(environment: [:], homeDirectory: home.path)
        #expect(
            throws: AWSConfigurationError.profileNotFound(
                profile: "nope", files: [home.path + "/.aws/credentials", home.path + "/.aws/config"]
            )
        ) {
            try resolver.credentials(profile: "nope")
        }
        do {
            _ = try resolver.credentials(profile: "broken")
            Issue.record("a profile without a secret was accepted")
        } catch {
            #expect("\(error)".contains("'broken'"))
            #expect("\(error)".contains("aws_secret_access_key"))
        }
    }

    @Test func noCredentialsAtAllSaysWhereItLooked() throws {
        let home = try TemporaryHome()
        defer { home.remove() }
        let resolver = AWSConfigurationResolver(environment: [:], homeDirectory: home.path)
        do {
            _ = try resolver.credentials()
            Issue.record("credentials were found in an empty home")
        } catch {
            #expect("\(error)".contains("AWS_ACCESS_KEY_ID"))
            #expect("\(error)".contains(home.path + "/.aws/credentials (no such file)"))
            #expect("\(error)".contains(home.path + "/.aws/config"))
        }
    }

    @Test func halfAKeyPairInTheEnvironmentIsAnError() {
        let resolver = AWSConfigurationResolver(environment: ["AWS_ACCESS_KEY_ID": "AKID"], homeDirectory: "/none")
        #expect(throws: AWSConfigurationError.self) { try resolver.credentials() }
    }
}

@Suite struct RegionTests {
    @Test func order() throws {
        let home = try TemporaryHome(config: CredentialsChainTests.configFile)
        defer { home.remove() }
        let queue = "https://sqs.us-west-2.amazonaws.com/123456789012/q"
        let all = AWSConfigurationResolver(
            environment: ["AWS_REGION": "eu-north-1", "AWS_DEFAULT_REGION": "eu-south-1"], homeDirectory: home.path
        )
        #expect(try all.region(explicit: "ca-central-1", queueURL: queue) == "ca-central-1")
        #expect(try all.region(queueURL: queue) == "eu-north-1")
        let fallback = AWSConfigurationResolver(
            environment: ["AWS_DEFAULT_REGION": "eu-south-1"], homeDirectory: home.path)
        #expect(try fallback.region() == "eu-south-1")
        let files = AWSConfigurationResolver(environment: [:], homeDirectory: home.path)
        #expect(try files.region(queueURL: queue) == "eu-west-1")
        #expect(try files.region(profile: "ops") == "ap-south-1")
        let byEnvironmentProfile = AWSConfigurationResolver(
            environment: ["AWS_PROFILE": "ops"], homeDirectory: home.path)
        #expect(try byEnvironmentProfile.region() == "ap-south-1")
        let none = AWSConfigurationResolver(environment: [:], homeDirectory: home.path + "/missing")
        #expect(try none.region(queueURL: queue) == "us-west-2")
        #expect(throws: AWSConfigurationError.self) { try none.region(queueURL: "http://127.0.0.1:5000/123/q") }
    }

    @Test(arguments: [
        ("https://sqs.eu-central-1.amazonaws.com/123456789012/trail", "eu-central-1"),
        ("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/trail", "cn-north-1"),
        ("https://us-east-2.queue.amazonaws.com/123456789012/trail", "us-east-2"),
        ("http://localhost:4566/000000000000/trail", nil),
        ("not a url", nil),
    ])
    func regionFromQueueURL(_ url: String, _ region: String?) {
        #expect(AWSConfigurationResolver.region(fromQueueURL: url) == region)
    }
}

@Test func iniParserToleratesCommentsBlanksAndSpaces() {
    let ini = INIFile(text: "\r\n; top\n[a]\r\nk = v  # note\n  nested = skipped\n\n[ b ]\nK=x=y\nhash=a#b\n")
    #expect(ini.sections["a"] == ["k": "v"])
    #expect(ini.sections["b"] == ["k": "x=y", "hash": "a#b"])
}

@Test func resolvedConfigurationCombinesTheChains() throws {
    let resolver = AWSConfigurationResolver(
        environment: [
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_ENDPOINT_URL": "http://127.0.0.1:4566",
        ],
        homeDirectory: "/nonexistent"
    )
    let configuration = try AWSClientConfiguration.resolved(
        queueURL: "https://sqs.eu-west-3.amazonaws.com/1/q", resolver: resolver
    )
    #expect(configuration.credentials.accessKeyID == "AKIDENV")
    #expect(configuration.region == "eu-west-3")
    #expect(configuration.endpointURL == "http://127.0.0.1:4566")
    let explicit = try AWSClientConfiguration.resolved(
        region: "us-west-1", endpointURL: "http://x:1", resolver: resolver)
    #expect(explicit.region == "us-west-1" && explicit.endpointURL == "http://x:1")
    #expect(throws: AWSConfigurationError.self) {
        try AWSClientConfiguration.resolved(
            resolver: AWSConfigurationResolver(environment: [:], homeDirectory: "/none"))
    }
}
