// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
/// The runtime modules (actors, mailboxes, replies, the JSON parser). No `unsafeFlags` here, so other
/// packages can depend on these products by version: release builds get Swift's default cross-module
/// optimisation, and `scripts/run.sh` (and the benchmarks in BENCHMARKS.md) add `-Xswiftc -cross-module-optimization` for the shipped binary.
let runtime: [SwiftSetting] = strict
/// Release builds of the `circles` executable link the Swift runtime, Foundation and the C libraries
/// statically (Sources/Shims/StaticLibraries links to the Debian -dev archives; where one is missing the
/// shared library is used): `circles run` then starts without resolving thousands of symbols
/// (BENCHMARKS.md, start-up). lld, because gold warns about Foundation's use of mktemp.
let staticLinking = ["-static-stdlib", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-L", Context.packageDirectory + "/Sources/Shims/StaticLibraries",
                     "-lCoreFoundation", "-l_FoundationICU", "-l_FoundationCShims", "-l_FoundationCollections"]

let package = Package(
    name: "circles",
    // Linux only (epoll, /proc, Glibc): no Apple platform is declared.
    products: [
        .executable(name: "circles", targets: ["circles"]),
        .library(name: "Threads", targets: ["Threads"]),
        .library(name: "Codecs", targets: ["Codecs"]),
        .library(name: "Actors", targets: ["Actors"]),
        .library(name: "ActorsTestKit", targets: ["ActorsTestKit"]),
        .library(name: "Supervision", targets: ["Supervision"]),
        .library(name: "SupervisionTestKit", targets: ["SupervisionTestKit"]),
        .library(name: "Transport", targets: ["Transport"]),
        .library(name: "Rhai", targets: ["Rhai"]),
        .library(name: "CircleClient", targets: ["CircleClient"]),
        .library(name: "CirclesNode", targets: ["CirclesNode"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),  // LogEvent (JSONLogHandler)
    ],
    targets: [
        // C shims over the system libraries (Debian: libssl-dev, libsecp256k1-dev, libhiredis-dev, libsqlite3-dev), on the
        // default paths: no pkgConfig, whose -L would come before Sources/Shims/StaticLibraries.
        .systemLibrary(name: "COpenSSL", path: "Sources/Shims/COpenSSL", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSecp256k1", path: "Sources/Shims/CSecp256k1", providers: [.apt(["libsecp256k1-dev"])]),
        // hiredis's pkg-config adds -D_FILE_OFFSET_BITS=64, which SwiftPM refuses with a warning (a no-op on
        // 64-bit Linux); its headers and library are on the default paths, so no pkgConfig here.
        .systemLibrary(name: "CLinux", path: "Sources/Shims/CLinux"),
        .systemLibrary(name: "CHiredis", path: "Sources/Shims/CHiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/Shims/CSQLite", providers: [.apt(["libsqlite3-dev"])]),

        // Foundations. Threads (dedicated threads, clocks, timers, child processes) is the bottom: Actors,
        // Supervision and Transport build on it, and Transport knows no actors.
        .target(name: "Threads", dependencies: ["CLinux"], swiftSettings: runtime),
        // Base64 and hex, for the wire (Transport) and for keys and signatures (CirclesCore).
        .target(name: "Codecs", swiftSettings: runtime),
        .target(name: "Actors",
                dependencies: ["Threads", "CLinux", .product(name: "DequeModule", package: "swift-collections")],
                swiftSettings: runtime),
        .target(name: "ActorsTestKit", dependencies: ["Actors", "Threads", .product(name: "DequeModule", package: "swift-collections")],
                swiftSettings: strict),
        .target(name: "Supervision", dependencies: ["Actors", "Threads"], swiftSettings: strict),
        .target(name: "SupervisionTestKit", dependencies: ["Supervision"], swiftSettings: strict),
        .target(name: "Transport",
                dependencies: ["Threads", "Codecs", "COpenSSL", "CHiredis", "CLinux", .product(name: "DequeModule", package: "swift-collections")],
                swiftSettings: runtime),
        .target(name: "Rhai", swiftSettings: strict),

        // Apps: the circles domain, the client library and the executable.
        .target(name: "CirclesCore", dependencies: ["Codecs", "COpenSSL", "CSecp256k1"],
                path: "Sources/Apps/CirclesCore", swiftSettings: runtime),
        .target(name: "CircleClient", dependencies: ["CirclesCore", "Codecs", "Transport"],
                path: "Sources/Apps/CircleClient", swiftSettings: strict),
        .target(name: "CirclesNode",
                dependencies: ["CirclesCore", "Codecs", "Transport", "Threads", "Actors", "Supervision", "Rhai", "CSQLite",
                               .product(name: "DequeModule", package: "swift-collections"),
                               .product(name: "Logging", package: "swift-log")],
                path: "Sources/Apps/CirclesNode", swiftSettings: strict),
        .executableTarget(name: "circles",
                          dependencies: ["CirclesNode", "CircleClient", "Rhai", "Transport", "Threads", "Codecs", "Actors", "Supervision", "CSQLite",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Sources/Apps/circles", swiftSettings: strict,
                          linkerSettings: [.unsafeFlags(staticLinking, .when(configuration: .release))]),

        .target(name: "TestSupport", dependencies: ["Threads", "Actors", "Supervision"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "ThreadsTests", dependencies: ["Threads", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ActorsTests", dependencies: ["Actors", "ActorsTestKit", "Threads", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SupervisionTests", dependencies: ["Supervision", "SupervisionTestKit", "Actors", "ActorsTestKit", "Threads"],
                    swiftSettings: strict),
        .testTarget(name: "TransportTests", dependencies: ["Transport", "Threads", "Codecs", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "RhaiTests", dependencies: ["Rhai", "Threads", "TestSupport"], exclude: ["Book/GAPS.md"], swiftSettings: strict),
        // The apps' tests mirror Sources/Apps; CirclesTestSupport holds the rigs they share (a node on an
        // ephemeral port, a Redis gateway, the tests' task secret).
        .target(name: "CirclesTestSupport", dependencies: ["CirclesNode", "CirclesCore", "Codecs", "Transport", "TestSupport"],
                path: "Tests/CirclesTestSupport", swiftSettings: strict),
        .testTarget(name: "CirclesCoreTests", dependencies: ["CirclesCore", "Codecs", "Rhai", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "CircleClientTests", dependencies: ["CircleClient", "CirclesCore", "Codecs", "Transport", "CirclesNode", "TestSupport",
                                                              "CirclesTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "CirclesNodeTests", dependencies: ["CirclesNode", "CirclesCore", "Codecs", "CircleClient", "Transport", "Actors",
                                                             "ActorsTestKit", "Supervision", "Rhai", "TestSupport", "CirclesTestSupport",
                                                             .product(name: "Logging", package: "swift-log")],
                    swiftSettings: strict),
        .testTarget(name: "CirclesCommandTests", dependencies: ["CirclesNode", "CircleClient", "CirclesCore", "Codecs", "Transport", "TestSupport",
                                                                "CirclesTestSupport"],
                    swiftSettings: strict),
    ]
)
