// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "akhbar",
    products: [
        .executable(name: "akhbard", targets: ["akhbard"]),
        .executable(name: "akhbar", targets: ["akhbar"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Text analysis: normalization, tokenizing, stemming. No dependencies.
        .target(name: "ArabicText"),
        // Compact JSON text written straight to bytes: replies on the wire, unknown fields in the store.
        .target(name: "JSONText"),
        // The article model and everything that turns drop-file bytes into articles.
        .target(name: "Articles", dependencies: ["JSONText"]),
        // The SQLite store: schema, FTS5 tokenizer, ingest writes, queries.
        .target(
            name: "AkhbarStore",
            dependencies: [
                "ArabicText", "Articles", "AkhbarProtocol", "CZlib",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // zlib, for the compressed originals in the store.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Varlink framing, the io.akhbar.Articles interface and its Codable types; shared by daemon and client.
        .target(name: "AkhbarProtocol", dependencies: ["JSONText"]),
        // libsystemd, through pkg-config.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // sd_notify, socket activation, journald logging.
        .target(
            name: "Systemd",
            dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")]
        ),
        // glibc's malloc_trim, to hand memory back after a burst.
        .systemLibrary(name: "CMalloc"),
        // openat2(2), to open drop files without following links out of the drop folder.
        .systemLibrary(name: "CLinuxOpen"),
        // The daemon's parts: watcher, ingest pipeline, Varlink server.
        .target(
            name: "AkhbarDaemon",
            dependencies: [
                "AkhbarStore", "Articles", "AkhbarProtocol", "Systemd", "CMalloc", "CLinuxOpen",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // An in-process daemon and a socket client for tests, as HummingbirdTesting is for Hummingbird.
        .target(
            name: "AkhbarTesting",
            dependencies: [
                "AkhbarDaemon", "AkhbarProtocol", "Systemd", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "akhbard",
            dependencies: [
                "AkhbarDaemon", "Systemd", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The client links the Swift runtime statically: it starts for every command, and loading the
        // shared runtime was a third of an `akhbar search` (bench/README.md). Linking statically only
        // here (not `swift build --static-swift-stdlib`, which would take akhbard and all of Foundation
        // with it) leaves out the libraries the static FoundationEssentials needs, so they are named.
        .executableTarget(
            name: "akhbar",
            dependencies: ["AkhbarProtocol", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            linkerSettings: [
                .unsafeFlags(["-static-stdlib"]), .linkedLibrary("_FoundationCShims"),
                .linkedLibrary("_FoundationCollections"), .linkedLibrary("swiftSynchronization"),
            ]
        ),
        // Indexing cost of the Arabic analysis against unicode61 (bench/README.md).
        .executableTarget(
            name: "index-cost",
            dependencies: ["AkhbarStore", .product(name: "GRDB", package: "GRDB.swift")],
            path: "bench/IndexCost"
        ),
        // The SQL floor of Count and Terms on a store (bench/counts).
        .executableTarget(
            name: "count-floor",
            dependencies: ["AkhbarStore", "ArabicText", .product(name: "GRDB", package: "GRDB.swift")],
            path: "bench/CountFloor"
        ),
        .testTarget(name: "ArabicTextTests", dependencies: ["ArabicText"]),
        .testTarget(name: "ArticlesTests", dependencies: ["Articles"]),
        .testTarget(name: "AkhbarStoreTests", dependencies: ["AkhbarStore"]),
        .testTarget(name: "AkhbarProtocolTests", dependencies: ["AkhbarProtocol"]),
        .testTarget(name: "SystemdTests", dependencies: ["Systemd"]),
        .testTarget(
            name: "AkhbarDaemonTests",
            dependencies: [
                "AkhbarDaemon", "AkhbarStore", "AkhbarProtocol", "Articles",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
                "AkhbarTesting",
            ]
        ),
        .testTarget(name: "AkhbarIntegrationTests", dependencies: ["AkhbarProtocol", "Articles", "AkhbarTesting"]),
    ],
    swiftLanguageModes: [.v6]
)
