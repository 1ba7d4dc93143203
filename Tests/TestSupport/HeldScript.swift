import Foundation

/// A Rhai script that runs until the test lets it end: it first marks that it runs, then loops until
/// the test's `release()`, and returns "released". What a test of draining, stopping or killing holds
/// in flight, whatever the machine's speed. The marks live in the namespace's `test-hold` directory,
/// outside the circle's transactional data (the node's `test_hold_*` functions exist only where that
/// directory does).
public struct HeldScript: Sendable {
    public static let source = #"test_hold_begin(); while !test_hold_released() { } "released""#
    public static let output = "released"

    /// `{data directory}/{circle}/test-hold`.
    public let directory: String

    /// Creates the namespace's `test-hold` directory now, so that `release` never depends on the
    /// script having started.
    public init(dataDirectory: String, circle: String) throws {
        directory = dataDirectory + "/" + circle + "/test-hold"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    /// Whether a worker is running the script now (or has run it).
    public var hasStarted: Bool { FileManager.default.fileExists(atPath: directory + "/running") }

    /// Lets the script end; false when the file cannot be created.
    public func release() -> Bool {
        FileManager.default.createFile(atPath: directory + "/go", contents: Data("1".utf8))
    }
}
