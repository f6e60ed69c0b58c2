// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "kiln",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kiln-api", targets: ["kiln-api"]),
        .executable(name: "kiln", targets: ["kiln"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C libraries, each wrapped by exactly one Swift module.
        .systemLibrary(name: "CFastCGI", providers: [.apt(["libfcgi-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSolv", pkgConfig: "libsolvext", providers: [.apt(["libsolv-dev", "libsolvext-dev"])]),
        .systemLibrary(name: "CModulemd", pkgConfig: "modulemd-2.0", providers: [.apt(["libmodulemd-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CRabbitMQ", pkgConfig: "librabbitmq", providers: [.apt(["librabbitmq-dev"])]),

        .target(name: "KilnCore", swiftSettings: swiftSettings),
        .target(name: "KilnHTTP", dependencies: ["KilnCore", "CCurl"], swiftSettings: swiftSettings),
        .target(name: "KilnPlatform", dependencies: ["CCrypto"], swiftSettings: swiftSettings),
        .target(
            name: "KilnConfiguration",
            dependencies: ["KilnCore", "KilnPlatform", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .target(
            name: "KilnMessaging",
            dependencies: ["CRabbitMQ", "KilnCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KilnStore",
            dependencies: ["KilnCore", "KilnPlatform", "CLibPQ", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KilnFastCGI",
            dependencies: [
                "CFastCGI", "KilnCore", "KilnConfiguration", "KilnPlatform",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // HTML pages: Mustache templates (swift-mustache: logic-less, HTML-escaped by default), view models and
        // formatting. Pure: the page handlers in KilnAPI fetch the data and render through it.
        .target(
            name: "KilnWeb",
            dependencies: ["KilnCore", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: swiftSettings),
        .target(
            name: "KilnAPI",
            dependencies: [
                "KilnCore", "KilnConfiguration", "KilnStore", "KilnFastCGI", "KilnPlatform", "KilnWeb", "CCrypto",
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("Resources/openapi.json"), .embedInCode("Resources/openapi-cts.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kiln-api",
            dependencies: [
                "KilnAPI", "KilnConfiguration", "KilnStore", "KilnFastCGI", "KilnPlatform",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kiln",
            dependencies: [
                "KilnConfiguration", "KilnCore", "KilnStore", "KilnFastCGI", "KilnPlatform", "KilnJobs", "CCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "KilnTesting", dependencies: ["KilnCore", "KilnStore"], swiftSettings: swiftSettings),
        .target(
            name: "KilnCompose",
            dependencies: ["KilnCore", "KilnHTTP", "KilnPlatform", "CSolv", "CZlib", "CCrypto", "CModulemd"],
            swiftSettings: swiftSettings),
        .target(
            name: "KilnJobs",
            dependencies: [
                "KilnConfiguration", "KilnCore", "KilnStore", "KilnCompose", "KilnHTTP", "KilnPlatform",
                "KilnMessaging",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "KilnCoreTests", dependencies: ["KilnCore"], swiftSettings: swiftSettings),
        .testTarget(name: "KilnWebTests", dependencies: ["KilnWeb", "KilnCore"], swiftSettings: swiftSettings),
        .testTarget(name: "KilnPlatformTests", dependencies: ["KilnPlatform"], swiftSettings: swiftSettings),
        .testTarget(
            name: "KilnConfigurationTests", dependencies: ["KilnConfiguration", "KilnCore"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "KilnMessagingTests",
            dependencies: ["KilnMessaging", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "KilnHTTPTests", dependencies: ["KilnHTTP", "KilnTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "KilnComposeTests", dependencies: ["KilnCompose", "KilnCore", "KilnPlatform", "KilnTesting"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "KilnJobsTests",
            dependencies: [
                "KilnJobs", "KilnCompose", "KilnConfiguration", "KilnCore", "KilnHTTP", "KilnPlatform", "KilnStore",
                "KilnTesting", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KilnStoreTests",
            dependencies: ["KilnCore", "KilnStore", "KilnTesting", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KilnAPITests",
            dependencies: [
                "KilnAPI", "KilnConfiguration", "KilnCore", "KilnStore", "KilnFastCGI", "KilnTesting", "KilnWeb",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
