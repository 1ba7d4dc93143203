#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs the built `circles` executable (`.build/debug/circles`) as a process, stdin from a string,
/// stdout and stderr captured apart; waits on a thread of its own.
public enum CirclesCommand {
    public struct Outcome: Sendable {
        public var status: Int32?
        public var stdout: String
        public var stderr: String
    }

    public static var path: String { CirclesBinary.path }

    public static func run(_ arguments: [String], stdin: String = "") async throws -> Outcome {
        guard CirclesBinary.isBuilt else { throw CirclesBinary.Missing() }
        let directory = try TemporaryDirectory.make(prefix: "circles-command")
        let (input, output, errors) = (directory + "/stdin", directory + "/stdout", directory + "/stderr")
        try stdin.write(toFile: input, atomically: false, encoding: .utf8)
        let process = try ChildProcess(path, arguments, stdin: input, stdout: output, stderr: errors)
        let status = await onDedicatedThread { process.wait() }
        let read = { (file: String) in (try? String(contentsOfFile: file, encoding: .utf8)) ?? "" }
        return Outcome(status: ChildProcess.exitCode(of: status), stdout: read(output), stderr: read(errors))
    }
}
