import Foundation

/// The `circles` executable of this checkout's debug build (built by `swift build --build-tests`).
public enum CirclesBinary {
    public static let path: String = {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return tests.deletingLastPathComponent().path + "/.build/debug/circles"
    }()

    public static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Whether tests that need the binary run: when it is built, and always in CI, where a missing
    /// binary fails them (`start` says so) rather than skipping them.
    public static var shouldRun: Bool { isBuilt || TestEnvironment.isCI }

    public struct Missing: Error, CustomStringConvertible {
        public init() {}
        public var description: String { "the circles binary is missing at \(CirclesBinary.path): build it with `swift build --build-tests` (scripts/test.sh does)" }
    }

    /// Starts `circles ARGUMENTS` in `directory` with stdout and stderr in files of their own.
    public static func start(_ arguments: [String], in directory: String) throws -> (process: ChildProcess, out: String, err: String) {
        guard isBuilt else { throw Missing() }
        let name = arguments.first ?? "circles"
        let unique = UUID().uuidString.prefix(8)
        let (out, err) = (directory + "/\(name)-\(unique).stdout", directory + "/\(name)-\(unique).stderr")
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        // Through a shell only to start in `directory`; `exec` makes the process the circles command itself.
        return (try ChildProcess("/bin/sh", ["-c", "cd '\(directory)' && exec '\(path)' \(quoted)"], stdin: "/dev/null",
                                 stdout: out, stderr: err), out, err)
    }

    public static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// Starts `circles launch --config circles.json EXTRA` in `directory` with the config `config(port)`
    /// for a free port, and waits until `ready(stdout, stderr)`. A free port can be taken by another
    /// test's socket before the launcher binds it: then it starts again on another port.
    public static func launch(in directory: String, config: (Int) -> String, _ extra: [String] = [],
                              until ready: @escaping @Sendable (_ out: String, _ err: String) -> Bool) async throws
        -> (process: ChildProcess, out: String, err: String)
    {
        var attempt = 0
        while true {
            attempt += 1
            try config(try FreePort.next()).write(toFile: directory + "/circles.json", atomically: true, encoding: .utf8)
            let started = try start(["launch", "--config", "circles.json"] + extra, in: directory)
            try await Wait.until(timeout: 30, "the launcher to be ready") {
                ready(read(started.out), read(started.err)) || !started.process.isRunning
            }
            if started.process.isRunning { return started }
            let log = read(started.err)
            guard log.contains("Address already in use"), attempt < 5 else {
                throw FreePort.Failure(description: "circles launch exited: \(log)")
            }
        }
    }
}
