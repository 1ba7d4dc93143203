import Foundation

/// A Rhai script that runs until the test lets it end: it first stores `running` in its circle's data,
/// then loops until `go` appears there (the test's `release()`), and returns "released". What a test of
/// draining, stopping or killing holds in flight, whatever the machine's speed.
public struct HeldScript: Sendable {
    public static let source = #"save_data("running", 1); while !list_data().contains("go") { } "released""#
    public static let output = "released"

    /// `{data directory}/{circle}/data`, the namespace's data as the node or worker lays it out.
    public let directory: String

    /// Creates the namespace's data directory now, so that `release` never depends on the script
    /// having started.
    public init(dataDirectory: String, circle: String) throws {
        directory = dataDirectory + "/" + circle + "/data"
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
