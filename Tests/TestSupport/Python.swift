#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs the independent Python peers of Tests/Interop (coincurve, websockets) and reads their JSON.
public enum Python {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// A parsed JSON value with forgiving lookups for test assertions.
    public struct Value: @unchecked Sendable {
        public let raw: Any?
        public subscript(key: String) -> Value { Value(raw: (raw as? [String: Any])?[key]) }
        public var string: String? { raw as? String }
        public var bool: Bool? { raw as? Bool }
    }

    public static var interopDirectory: String {
        let here = #filePath
        let tests = here.components(separatedBy: "/TestSupport/")[0]
        return tests + "/Interop"
    }

    /// Whether python3 is installed and can import `module` (tests that need it are skipped otherwise).
    public static func hasModule(_ module: String) async -> Bool {
        await onDedicatedThread {
            guard let python = try? Executables.find("python3"),
                let child = try? ChildProcess(python, ["-c", "import \(module)"]) else { return false }
            return ChildProcess.exitCode(of: child.wait()) == 0
        }
    }

    /// Whether tests that need python3 with `module` run: when it can be imported, and always in CI,
    /// where a missing module fails them with Python's own ImportError rather than skipping them.
    public static func shouldRun(needing module: String) async -> Bool {
        if TestEnvironment.isCI { return true }
        return await hasModule(module)
    }

    /// Starts `python3 Tests/Interop/script args… PORT_FILE` as a server and returns once it wrote its port there.
    public static func startServer(script: String, arguments: [String]) async throws -> (process: ChildProcess, port: Int) {
        let directory = try TemporaryDirectory.make(prefix: "circles-python-server")
        let portFile = directory + "/port"
        let child = try ChildProcess(try Executables.find("python3"), [interopDirectory + "/" + script] + arguments + [portFile],
                                     log: directory + "/log")
        try await Wait.until(timeout: 20, "the Python server to listen") { FileManager.default.fileExists(atPath: portFile) || !child.isRunning }
        guard let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            let log = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? ""
            throw Failure(description: "\(script) did not start: \(log.suffix(500))")
        }
        return (child, port)
    }

    /// Runs `python3 Tests/Interop/script args…` and parses the last line of its output as JSON.
    public static func runJSON(script: String, arguments: [String]) throws -> Value {
        let output = try TemporaryDirectory.make(prefix: "circles-python") + "/out.txt"
        let child = try ChildProcess(try Executables.find("python3"), [interopDirectory + "/" + script] + arguments, log: output)
        let status = child.wait()
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard ChildProcess.exitCode(of: status) == 0, let line = text.split(separator: "\n").last,
            let data = line.data(using: .utf8), let json = try? JSONSerialization.jsonObject(with: data)
        else { throw Failure(description: "\(script) failed: \(text)") }
        return Value(raw: json)
    }
}
