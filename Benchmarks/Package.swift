// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so `swift test` in the main package never builds them.
let package = Package(
    name: "VigilBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "vigil", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    ],
    targets: [
        .target(name: "MallocCounter"),
        .executableTarget(
            name: "VigilBenchmarks",
            dependencies: [
                "MallocCounter",
                .product(name: "VigilExposition", package: "vigil"),
                .product(name: "VigilModel", package: "vigil"),
                .product(name: "VigilTestSupport", package: "vigil"),
            ],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        .executableTarget(
            name: "TSDBBenchmarks",
            dependencies: [
                .product(name: "VigilTSDB", package: "vigil"),
                .product(name: "VigilModel", package: "vigil"),
                .product(name: "VigilTestSupport", package: "vigil"),
            ]
        ),
        .executableTarget(
            // LogQL scan speed: `|=` over generated lines and `sum by … | json` (docs/PERFORMANCE.md).
            name: "LogQLBenchmarks",
            dependencies: [
                .product(name: "VigilLogQL", package: "vigil"),
                .product(name: "VigilModel", package: "vigil"),
            ],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        .executableTarget(
            name: "WALBenchmarks",
            dependencies: [
                .product(name: "VigilTSDB", package: "vigil"),
                .product(name: "VigilModel", package: "vigil"),
            ]
        ),
        .executableTarget(
            // Remote-write sending throughput per CPU second (docs/PERFORMANCE.md).
            name: "RemoteWriteSend",
            dependencies: [
                .product(name: "VigilRemoteWrite", package: "vigil"),
                .product(name: "VigilTSDB", package: "vigil"),
                .product(name: "VigilConfig", package: "vigil"),
                .product(name: "VigilModel", package: "vigil"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            // Log store ingest, compression and bloom skipping (docs/PERFORMANCE.md).
            name: "LogStoreBenchmarks",
            dependencies: [
                .product(name: "VigilLogStore", package: "vigil"),
                .product(name: "VigilLogQL", package: "vigil"),
                .product(name: "VigilRemote", package: "vigil"),
                .product(name: "VigilModel", package: "vigil"),
            ]
        ),
        .executableTarget(
            // The event watcher's CPU per 100,000 watched events and its memory (docs/PERFORMANCE.md).
            name: "EventWatcherBenchmarks",
            dependencies: [
                .product(name: "VigilEvents", package: "vigil"),
                .product(name: "VigilKubernetes", package: "vigil"),
                .product(name: "VigilModel", package: "vigil"),
                .product(name: "VigilTestSupport", package: "vigil"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        .executableTarget(
            // Feeds identical remote-write batches to Vigil and its peers (compat/tsdb-compare.sh).
            name: "RemoteWriteLoad",
            dependencies: [
                .product(name: "VigilRemote", package: "vigil"),
                .product(name: "VigilModel", package: "vigil"),
                .product(name: "VigilTestSupport", package: "vigil"),
            ]
        ),
    ]
)
