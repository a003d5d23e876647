// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "sluice",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SluiceCore", targets: ["SluiceCore"]),
        .library(name: "SluiceStore", targets: ["SluiceStore"]),
        .library(name: "SluiceAdIntelModel", targets: ["SluiceAdIntelModel"]),
        .library(name: "SluiceStoreSQLite", targets: ["SluiceStoreSQLite"]),
        .library(name: "SluiceStorePostgres", targets: ["SluiceStorePostgres"]),
        .library(name: "SluiceStoreConformance", targets: ["SluiceStoreConformance"]),
        .library(name: "SluiceEngine", targets: ["SluiceEngine"]),
        .library(name: "SluiceConnectors", targets: ["SluiceConnectors"]),
        .library(name: "SluiceFakes", targets: ["SluiceFakes"]),
        .library(name: "SluiceAdIntel", targets: ["SluiceAdIntel"]),
        .library(name: "SluiceServer", targets: ["SluiceServer"]),
        .library(name: "SluiceProbeJobs", targets: ["SluiceProbeJobs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/pointfreeco/swift-clocks.git", from: "1.1.1"),
    ],
    targets: [
        .target(name: "SluiceCore"),
        .target(name: "SluiceStore", dependencies: ["SluiceCore"]),
        .target(name: "SluiceAdIntelModel", dependencies: ["SluiceStore"]),
        .target(
            name: "SluiceStoreSQLite",
            dependencies: ["SluiceStore", "SluiceAdIntelModel", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "SluiceStorePostgres",
            dependencies: [
                "SluiceStore", "SluiceAdIntelModel",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "SluiceStoreConformance", dependencies: ["SluiceStore", "SluiceAdIntelModel"]),
        .target(
            name: "SluiceEngine",
            dependencies: [
                "SluiceStore",
                .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SluiceConnectors",
            dependencies: [
                "SluiceCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(name: "SluiceAdIntel", dependencies: ["SluiceEngine", "SluiceAdIntelModel", "SluiceConnectors"]),
        .target(name: "SluiceProbeJobs", dependencies: ["SluiceEngine"]),
        .target(
            name: "SluiceServer",
            dependencies: [
                "SluiceEngine", "SluiceAdIntelModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Dashboard/Assets")]
        ),
        .target(
            name: "SluiceFakes",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SluiceTestSupport",
            dependencies: [
                "SluiceStoreSQLite", "SluiceStorePostgres", "SluiceProbeJobs", "SluiceEngine", "SluiceAdIntelModel",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceServer", "SluiceAdIntel", "SluiceAdIntelModel", "SluiceConnectors", "SluiceStoreSQLite",
                "SluiceStorePostgres", "SluiceFakes", "SluiceProbeJobs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "sluice-store-probe",
            dependencies: ["SluiceStoreSQLite"],
            path: "Sources/SluiceStoreProbe"
        ),
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore"]),
        .executableTarget(
            name: "sluice-test-worker",
            dependencies: [
                "SluiceEngine", "SluiceStoreSQLite", "SluiceStorePostgres", "SluiceTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/SluiceTestWorker"
        ),
        .executableTarget(
            name: "sluice-bench",
            dependencies: [
                "SluiceEngine", "SluiceTestSupport", "SluiceProbeJobs", "SluiceServer", "SluiceAdIntel",
                "SluiceAdIntelModel",
                "SluiceStoreSQLite", "SluiceStorePostgres",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/SluiceBench"
        ),
        .testTarget(
            name: "SluiceEngineTests",
            dependencies: [
                "SluiceEngine", "SluiceStorePostgres", "SluiceTestSupport", "sluice-test-worker",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Clocks", package: "swift-clocks"),
            ]
        ),
        .testTarget(
            name: "SluiceAdIntelTests",
            dependencies: ["SluiceAdIntel", "SluiceAdIntelModel", "SluiceFakes", "SluiceTestSupport"]
        ),
        .testTarget(
            name: "SluiceServerTests",
            dependencies: [
                "SluiceServer", "SluiceAdIntel", "SluiceAdIntelModel", "SluiceFakes", "SluiceTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "SluiceConnectorsTests",
            dependencies: [
                "SluiceConnectors", "SluiceEngine", "SluiceFakes", "SluiceTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "SluiceStoreSQLiteTests",
            dependencies: [
                "SluiceStoreSQLite", "SluiceStoreConformance", "SluiceTestSupport", "sluice-store-probe",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "SluiceStorePostgresTests",
            dependencies: [
                "SluiceStorePostgres", "SluiceStoreConformance", "SluiceTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
    ]
)
