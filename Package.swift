// swift-tools-version:6.1
import PackageDescription

// Settings shared by every target (as Hummingbird does): strict Swift 6 plus the upcoming features
// that keep existentials explicit.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// The engine's hot path (CloudTrail reading, SigmaKit matching) in release builds: no run-time exclusivity checks.
// The compiler still proves exclusivity statically; the dynamic checks on class properties cost ~1.5 % of a scan.
let hotPathSettings = swiftSettings + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
]

let package = Package(
    name: "trailwatch",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SigmaKit", targets: ["SigmaKit"]),
        .library(name: "CloudTrail", targets: ["CloudTrail"]),
        .library(name: "SigmaSQL", targets: ["SigmaSQL"]),
        .executable(name: "trailwatch", targets: ["trailwatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        // The Sigma rule language and the matching engine. Knows nothing of CloudTrail, HTTP or SQL.
        .target(
            name: "SigmaKit",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: hotPathSettings
        ),
        // zlib, from the system (Debian zlib1g-dev), for streaming gzip.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // CloudTrail input: byte-level JSON scanner, container formats, the event type.
        .target(
            name: "CloudTrail",
            dependencies: ["SigmaKit", "CZlib"],
            swiftSettings: hotPathSettings
        ),
        // Sigma rules as SQL (Athena/Trino, CloudTrail Lake, Spark SQL, DuckDB). Knows nothing of CloudTrail input.
        .target(
            name: "SigmaSQL",
            dependencies: ["SigmaKit"],
            swiftSettings: swiftSettings
        ),
        // The product on top of the libraries: the built-in pack, scanning, alerts, enrichment, output formats.
        .target(
            name: "TrailwatchKit",
            dependencies: ["SigmaKit", "CloudTrail"],
            resources: [.copy("Resources/rules"), .copy("Resources/attack")],
            swiftSettings: swiftSettings
        ),
        // AWS access for continuous monitoring: SigV4 signing (swift-crypto), credentials (environment, shared
        // files), S3 and SQS over AsyncHTTPClient, S3 event notifications. Knows nothing of Sigma or CloudTrail.
        .target(
            name: "AWSClient",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // `trailwatch watch`: sources (a directory tree, S3 through SQS), the checkpoint, evaluation of each new
        // item exactly once, and delivery (stdout, JSON Lines, webhooks, the alert store) keyed by stable alert ids.
        .target(
            name: "TrailwatchWatch",
            dependencies: [
                "SigmaKit", "CloudTrail", "TrailwatchKit", "AWSClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // `trailwatch serve`: the catalog and alerts as web pages and a JSON API (Hummingbird), the alert store
        // (SQLite through GRDB). A thin adapter over TrailwatchKit; Hummingbird stays out of the libraries below.
        .target(
            name: "TrailwatchServer",
            dependencies: [
                "SigmaKit", "CloudTrail", "TrailwatchKit", "SigmaSQL", "TrailwatchWatch",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Ink", package: "Ink"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            resources: [.copy("Resources/templates"), .copy("Resources/static")],
            swiftSettings: swiftSettings
        ),
        // The command tree (ArgumentParser), thin: every command calls TrailwatchKit / SigmaKit.
        .target(
            name: "TrailwatchCLI",
            dependencies: [
                "SigmaKit", "CloudTrail", "TrailwatchKit", "SigmaSQL", "TrailwatchServer", "TrailwatchWatch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "trailwatch",
            dependencies: ["TrailwatchCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SigmaKitTests",
            dependencies: ["SigmaKit"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SigmaSQLTests",
            dependencies: ["SigmaSQL", "SigmaKit"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloudTrailTests",
            dependencies: ["CloudTrail", "SigmaKit"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrailwatchServerTests",
            dependencies: [
                "TrailwatchServer", "TrailwatchKit", "CloudTrail", "SigmaKit", "TrailwatchCLI", "TrailwatchWatch",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        // The local AWS API server (moto) that the AWS and watch tests start: a support library for tests only.
        .target(
            name: "MotoTestSupport",
            path: "Tests/MotoTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AWSClientTests",
            dependencies: ["AWSClient", "MotoTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrailwatchWatchTests",
            dependencies: [
                "TrailwatchWatch", "TrailwatchKit", "CloudTrail", "SigmaKit", "AWSClient", "MotoTestSupport",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrailwatchCLITests",
            dependencies: ["TrailwatchCLI", "TrailwatchKit", "CloudTrail", "SigmaKit"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
    ]
)
