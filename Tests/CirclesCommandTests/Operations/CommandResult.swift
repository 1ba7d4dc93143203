import Foundation
import TestSupport

/// A finished process: its exit code (nil when a signal ended it), stdout and stderr.
struct CommandResult {
    var code: Int32?
    var out: String
    var err: String

    /// Runs `executable ARGUMENTS` to its end (stdin from `stdin`), off the cooperative pool.
    static func run(_ executable: String, _ arguments: [String], stdin: String = "/dev/null") async throws -> CommandResult {
        let directory = try TemporaryDirectory.make(prefix: "circles-command")
        let (out, err) = (directory + "/stdout", directory + "/stderr")
        let child = try ChildProcess(executable, arguments, stdin: stdin, stdout: out, stderr: err)
        let status = await onDedicatedThread { child.wait() }
        return CommandResult(code: ChildProcess.exitCode(of: status), out: CirclesBinary.read(out), err: CirclesBinary.read(err))
    }

    /// Runs the `circles` executable of this checkout.
    static func circles(_ arguments: [String]) async throws -> CommandResult {
        try await run(CirclesBinary.path, arguments)
    }

    /// The repository root (for shipped files such as openrpc.json and deploy/).
    static let repository: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
}
