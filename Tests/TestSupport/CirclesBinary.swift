import Foundation

/// The `circles` executable of this checkout's debug build (built by `swift build --build-tests`).
public enum CirclesBinary {
    public static let path: String = {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return tests.deletingLastPathComponent().path + "/.build/debug/circles"
    }()

    public static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Starts `circles ARGUMENTS` in `directory` with stdout and stderr in files of their own.
    public static func start(_ arguments: [String], in directory: String) throws -> (process: ChildProcess, out: String, err: String) {
        let name = arguments.first ?? "circles"
        let unique = UUID().uuidString.prefix(8)
        let (out, err) = (directory + "/\(name)-\(unique).stdout", directory + "/\(name)-\(unique).stderr")
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        // Through a shell only to start in `directory`; `exec` makes the process the circles command itself.
        return (try ChildProcess("/bin/sh", ["-c", "cd '\(directory)' && exec '\(path)' \(quoted)"], stdin: "/dev/null",
                                 stdout: out, stderr: err), out, err)
    }

    public static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
}
