// swift-tools-version:6.1
import PackageDescription

/// Settings every Vigil target shares: the explicit-visibility features STYLE.md asks for.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// Release-only flags measured to help the hot paths (see docs/PERFORMANCE.md).
let hotPathSettings: [SwiftSetting] = strictSettings + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "vigil",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .library(name: "VigilModel", targets: ["VigilModel"]),
        .library(name: "VigilExposition", targets: ["VigilExposition"]),
        .library(name: "VigilTSDB", targets: ["VigilTSDB"]),
        .library(name: "VigilPromQL", targets: ["VigilPromQL"]),
        .library(name: "VigilRemote", targets: ["VigilRemote"]),
        .library(name: "VigilConfig", targets: ["VigilConfig"]),
        .library(name: "VigilServer", targets: ["VigilServer"]),
        .library(name: "VigilLogging", targets: ["VigilLogging"]),
        .library(name: "VigilNodeAgent", targets: ["VigilNodeAgent"]),
        .library(name: "VigilScrape", targets: ["VigilScrape"]),
        .library(name: "VigilDiscovery", targets: ["VigilDiscovery"]),
        .library(name: "VigilKubernetes", targets: ["VigilKubernetes"]),
        .library(name: "VigilKubeMetricsAPI", targets: ["VigilKubeMetricsAPI"]),
        .library(name: "VigilEvents", targets: ["VigilEvents"]),
        .library(name: "VigilRemoteWrite", targets: ["VigilRemoteWrite"]),
        .library(name: "VigilTemplate", targets: ["VigilTemplate"]),
        .library(name: "VigilRules", targets: ["VigilRules"]),
        .library(name: "VigilMetricsAdapter", targets: ["VigilMetricsAdapter"]),
        .library(name: "VigilAlertmanager", targets: ["VigilAlertmanager"]),
        .library(name: "VigilNotifier", targets: ["VigilNotifier"]),
        .library(name: "VigilCollectors", targets: ["VigilCollectors"]),
        .library(name: "VigilTestSupport", targets: ["VigilTestSupport"]),
        .library(name: "VigilLogs", targets: ["VigilLogs"]),
        .library(name: "VigilLogQL", targets: ["VigilLogQL"]),
        .library(name: "VigilLogStore", targets: ["VigilLogStore"]),
        .library(name: "VigilUI", targets: ["VigilUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.2.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.30.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
        // Tests only: certificates for the TLS scrape tests.
        .package(url: "https://github.com/apple/swift-certificates", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.0.0"),
    ],
    targets: [
        .target(name: "VigilModel", dependencies: ["CVigilCRC32C"], swiftSettings: hotPathSettings),
        // CRC-32C with the CPU's instruction where it has one (our C, a few lines; no library).
        .target(name: "CVigilCRC32C"),
        // The system's zlib: gzip and deflate bodies. Every Debian machine has zlib1g-dev.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // The system's brotli: the log store's sealed chunks (docs/formats/log-chunks.md).
        .systemLibrary(name: "CBrotli", providers: [.apt(["libbrotli-dev"])]),
        .target(name: "VigilExposition", dependencies: ["VigilModel"], swiftSettings: hotPathSettings),
        .target(name: "VigilTSDB", dependencies: ["VigilModel"], swiftSettings: hotPathSettings),
        .target(name: "VigilPromQL", dependencies: ["VigilModel", "VigilTSDB"], swiftSettings: hotPathSettings),
        .target(name: "VigilRemote", dependencies: ["VigilModel"], swiftSettings: hotPathSettings),
        .target(
            name: "VigilTestSupport",
            dependencies: [
                "VigilModel", "VigilExposition",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilConfig",
            dependencies: ["VigilModel", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilHTTPClient",
            dependencies: [
                "VigilConfig",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                "CZlib",
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilKubernetes",
            dependencies: [
                "VigilModel", "VigilConfig", "VigilHTTPClient",
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilEvents",
            dependencies: [
                "VigilModel", "VigilKubernetes", "VigilHTTPClient", "VigilTemplate",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilDiscovery",
            dependencies: [
                "VigilModel", "VigilConfig", "VigilHTTPClient", "VigilKubernetes",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilScrape",
            dependencies: [
                "VigilModel", "VigilConfig", "VigilExposition", "VigilTSDB", "VigilDiscovery", "VigilHTTPClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: hotPathSettings
        ),
        .target(
            name: "VigilRemoteWrite",
            dependencies: [
                "VigilModel", "VigilConfig", "VigilTSDB", "VigilRemote", "VigilScrape", "VigilHTTPClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilLogs",
            dependencies: [
                "VigilModel", "VigilConfig", "VigilHTTPClient", "VigilRemote", "VigilLogStore", "VigilLogQL", "VigilCollectors",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "VigilTemplate", dependencies: ["VigilModel"], swiftSettings: strictSettings),
        // The aggregated API listener (metrics.k8s.io and the groups plugged into it), over HTTPS
        // with front-proxy authentication.
        .target(
            name: "VigilKubeMetricsAPI",
            dependencies: [
                "VigilModel", "VigilTSDB", "VigilTemplate",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // LogQL: parser, pipeline and evaluator over a `LogSource`; the log store is one source.
        .target(name: "VigilLogQL", dependencies: ["VigilModel", "VigilTemplate"], swiftSettings: hotPathSettings),
        // The Loki-compatible log store: push decoding, WAL, chunks, label index; a `LogSource`.
        .target(
            name: "VigilLogStore",
            dependencies: [
                "VigilModel", "VigilLogQL", "VigilRemote", "CBrotli",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: hotPathSettings
        ),
        .target(
            name: "VigilCollectors",
            dependencies: ["VigilModel", "VigilExposition", .product(name: "Logging", package: "swift-log")],
            swiftSettings: hotPathSettings
        ),
        .target(
            name: "VigilRules",
            dependencies: [
                "VigilModel", "VigilConfig", "VigilTSDB", "VigilPromQL", "VigilTemplate", "VigilLogQL",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilMetricsAdapter",
            dependencies: [
                "VigilModel", "VigilConfig", "VigilPromQL", "VigilTemplate", "VigilKubeMetricsAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilNotifier",
            dependencies: [
                "VigilModel", "VigilConfig", "VigilDiscovery", "VigilScrape", "VigilHTTPClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "VigilAlertmanager",
            dependencies: [
                "VigilModel", "VigilConfig", "VigilHTTPClient", "VigilTemplate",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Build tool: the web UI's Assets/ directory into a Swift source of base64 literals.
        .executableTarget(name: "VigilUIAssetGenerator", swiftSettings: strictSettings),
        // Vigil's own log lines (`--log.format`): logfmt and JSON handlers for swift-log.
        .target(
            name: "VigilLogging",
            dependencies: ["VigilModel", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // The lean node agent: the collectors behind a small NIO HTTP server and a flag parser of
        // its own. No Foundation (swift-argument-parser brings FoundationEssentials), so the
        // `vigil-agent` process stays small.
        .target(
            name: "VigilNodeAgent",
            dependencies: [
                "VigilModel", "VigilExposition", "VigilCollectors", "VigilLogging",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "vigil-agent",
            dependencies: ["VigilNodeAgent", "VigilModel", "VigilCollectors", "VigilLogging", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .plugin(name: "EmbedUIAssets", capability: .buildTool(), dependencies: ["VigilUIAssetGenerator"]),
        // The web UI: assets embedded in the binary, served with ETag, Cache-Control and a strict CSP.
        .target(
            name: "VigilUI",
            dependencies: [
                "VigilModel", "VigilPromQL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["Assets"],
            swiftSettings: strictSettings,
            plugins: ["EmbedUIAssets"]
        ),
        .target(
            name: "VigilServer",
            dependencies: [
                "VigilModel", "VigilExposition", "VigilConfig", "VigilTSDB", "VigilRemote", "VigilPromQL", "VigilLogging", "VigilNodeAgent",
                "VigilScrape", "VigilDiscovery", "VigilRemoteWrite", "VigilRules", "VigilNotifier", "VigilAlertmanager", "VigilCollectors",
                "VigilLogs", "VigilLogStore", "VigilLogQL", "VigilEvents", "VigilKubernetes", "VigilKubeMetricsAPI", "VigilMetricsAdapter",
                "VigilUI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilServer", "VigilConfig", "VigilExposition", "VigilModel", "VigilTSDB", "VigilPromQL", "VigilScrape", "VigilLogging",
                "VigilNodeAgent",
                "VigilRules", "VigilNotifier", "VigilAlertmanager", "VigilCollectors", "VigilLogs",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            // The child process the crash tests SIGKILL; not shipped.
            name: "VigilCrashTester", dependencies: ["VigilTSDB", "VigilModel", "VigilLogStore", "VigilLogQL"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilUITests",
            dependencies: [
                "VigilUI", "VigilPromQL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "VigilModelTests", dependencies: ["VigilModel", "VigilTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "VigilExpositionTests", dependencies: ["VigilExposition", "VigilModel", "VigilTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilTSDBTests",
            dependencies: ["VigilTSDB", "VigilModel", "VigilTestSupport", "VigilCrashTester"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilPromQLTests", dependencies: ["VigilPromQL", "VigilModel", "VigilTSDB", "VigilTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilRemoteTests", dependencies: ["VigilRemote", "VigilModel", "VigilTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilConfigTests",
            dependencies: ["VigilConfig", "VigilTestSupport", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Fixtures")], swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilTemplateTests", dependencies: ["VigilTemplate", "VigilModel"], swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilAlertmanagerTests",
            dependencies: [
                "VigilAlertmanager", "VigilTemplate", "VigilConfig", "VigilModel", "VigilHTTPClient", "VigilTestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilRulesTests",
            dependencies: [
                "VigilRules", "VigilConfig", "VigilModel", "VigilTSDB", "VigilPromQL", "VigilTestSupport", "VigilTemplate", "VigilLogQL",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilMetricsAdapterTests",
            dependencies: [
                "VigilMetricsAdapter", "VigilKubeMetricsAPI", "VigilConfig", "VigilModel", "VigilTSDB", "VigilPromQL", "VigilTemplate",
                "VigilTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilNotifierTests",
            dependencies: [
                "VigilNotifier", "VigilConfig", "VigilModel", "VigilDiscovery", "VigilTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilScrapeTests",
            dependencies: [
                "VigilScrape", "VigilTestSupport", "VigilDiscovery", "VigilConfig", "VigilModel", "VigilTSDB", "VigilHTTPClient",
                "VigilKubernetes",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilCollectorsTests",
            dependencies: [
                "VigilCollectors", "VigilModel", "VigilExposition", "VigilTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilRemoteWriteTests",
            dependencies: [
                "VigilRemoteWrite", "VigilTestSupport", "VigilRemote", "VigilConfig", "VigilModel", "VigilTSDB",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilKubernetesTests",
            dependencies: [
                "VigilKubernetes", "VigilConfig", "VigilModel", "VigilTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilKubeMetricsAPITests",
            dependencies: [
                "VigilKubeMetricsAPI", "VigilTSDB", "VigilModel", "VigilTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilEventsTests",
            dependencies: [
                "VigilEvents", "VigilKubernetes", "VigilModel", "VigilTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilLogsTests",
            dependencies: [
                "VigilLogs", "VigilConfig", "VigilModel", "VigilRemote", "VigilTestSupport", "VigilHTTPClient", "VigilLogStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilLogQLTests", dependencies: ["VigilLogQL", "VigilModel", "VigilTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilLogStoreTests",
            dependencies: [
                "VigilLogStore", "VigilLogQL", "VigilModel", "VigilRemote", "VigilTestSupport", "VigilCrashTester",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VigilServerTests",
            dependencies: [
                "VigilNodeAgent", "VigilLogging",
                "VigilServer", "VigilTestSupport", "VigilConfig", "VigilExposition", "VigilModel", "VigilRemote", "VigilTSDB",
                "VigilRules", "VigilCollectors", "VigilLogStore", "VigilHTTPClient",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
