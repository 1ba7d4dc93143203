#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport

/// Runs the built `circles` executable (`.build/debug/circles`) as a process, stdin from a string,
/// stdout and stderr captured apart; waits on a thread of its own.
enum CirclesCommand {
    struct Outcome: Sendable {
        var status: Int32?
        var stdout: String
        var stderr: String
    }

    struct SpawnFailed: Error, CustomStringConvertible {
        var description: String
    }

    static var path: String {
        let root = #filePath.components(separatedBy: "/Tests/CirclesTests/")[0]
        return root + "/.build/debug/circles"
    }

    static var isBuilt: Bool { access(path, X_OK) == 0 }

    static func run(_ arguments: [String], stdin: String = "") async throws -> Outcome {
        let directory = try TemporaryDirectory.make(prefix: "circles-command")
        let (input, output, errors) = (directory + "/stdin", directory + "/stdout", directory + "/stderr")
        try stdin.write(toFile: input, atomically: false, encoding: .utf8)
        let status = try await onDedicatedThread { () throws -> Int32 in
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var empty = sigset_t()
            sigemptyset(&empty)
            posix_spawnattr_setsigmask(&attributes, &empty)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
            let argv = ([path] + arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid = pid_t()
            let rc = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
            guard rc == 0 else { throw SpawnFailed(description: "cannot start \(path): \(String(cString: strerror(rc)))") }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            return status
        }
        let read = { (file: String) in (try? String(contentsOfFile: file, encoding: .utf8)) ?? "" }
        return Outcome(status: ChildProcess.exitCode(of: status), stdout: read(output), stderr: read(errors))
    }
}
