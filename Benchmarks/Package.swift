// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so `swift test` in the main package never builds them.
let package = Package(
    name: "VigilBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "vigil", path: ".."),
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
            name: "WALBenchmarks",
            dependencies: [
                .product(name: "VigilTSDB", package: "vigil"),
                .product(name: "VigilModel", package: "vigil"),
            ]
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
