import CirclesCore
import Foundation
import TestSupport
import Testing

/// `circles launch` as a process: the JSON line on stdout, logs on stderr, exit 0 after SIGTERM, exit
/// 2 with one line for a bad config.
@Suite struct LaunchCommandTests {
    static let binary: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        return root + "/.build/debug/circles"
    }()

    /// Runs `circles ARGS` with stdout and stderr in separate files.
    static func start(_ arguments: [String], in directory: String) throws -> (ChildProcess, out: String, err: String) {
        let (out, err) = (directory + "/stdout", directory + "/stderr")
        let command = "cd '\(directory)' && exec '\(binary)' " + arguments.map { "'\($0)'" }.joined(separator: " ") + " 2>'\(err)'"
        return (try ChildProcess("/bin/sh", ["-c", command], log: out), out, err)
    }

    static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
    func printsOneJSONLineAndStopsCleanlyOnSIGTERM() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-launch-cli")
        let port = try FreePort.next()
        try #"[{"name": "one", "port": \#(port), "script_path": "one.rhai"}, {"name": "two", "port": \#(port)}]"#
            .write(toFile: directory + "/circles.json", atomically: true, encoding: .utf8)
        try "print(\"hello from one\"); 40 + 2".write(toFile: directory + "/one.rhai", atomically: true, encoding: .utf8)
        let (process, out, err) = try Self.start(["launch", "--config", "circles.json", "--json"], in: directory)
        try await Wait.until(timeout: 30, "the JSON line") { Self.read(out).hasSuffix("\n") }
        let lines = Self.read(out).split(separator: "\n")
        #expect(lines.count == 1)
        let array = try JSONParser.parse(String(lines[0])).arrayValue ?? []
        #expect(array.compactMap { $0["name"]?.stringValue } == ["one", "two"])
        #expect(array.first?["url"]?.stringValue?.hasPrefix("ws://127.0.0.1:\(port)/") == true)
        #expect(array.first?["public_key"]?.stringValue?.count == 66)
        try await Wait.until(timeout: 30, "the start script's result in the log") { Self.read(err).contains("start script returned 42") }
        #expect(Self.read(err).contains("hello from one"))
        _ = process.kill(SIGTERM)
        let status = await onDedicatedThread { process.wait() }
        #expect(ChildProcess.exitCode(of: status) == 0)
        #expect(!FreePort.isListening(port))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
    func aBadConfigIsOneLineAndExitCode2() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-launch-cli")
        try #"[{"name": "a", "port": 9}, {"name": "a", "port": 10}]"#.write(toFile: directory + "/dup.json", atomically: true, encoding: .utf8)
        try "[{".write(toFile: directory + "/broken.json", atomically: true, encoding: .utf8)
        for (file, expected) in [("dup.json", #"entry #2 ("a"): field "name": duplicate name"#), ("broken.json", "invalid JSON"),
                                 ("missing.json", "cannot read the file")] {
            let (process, out, err) = try Self.start(["launch", "--config", file], in: directory)
            let status = await onDedicatedThread { process.wait() }
            #expect(ChildProcess.exitCode(of: status) == 2, "\(file)")
            let lines = Self.read(err).split(separator: "\n")
            #expect(lines.count == 1 && lines[0].contains(expected), "\(file): \(lines)")
            #expect(Self.read(out).isEmpty)
        }
    }
}
