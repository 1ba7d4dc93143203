import Foundation
import TestSupport

/// `circles serve` as a process, for tests.
package enum ServeProcess {
    /// Starts `circles serve` on port 0 with `extra` and waits for the line saying where it listens.
    package static func start(_ extra: [String], circle: String) async throws -> (process: ChildProcess, url: String, err: String) {
        let directory = try TemporaryDirectory.make(prefix: "circles-serve")
        let started = try CirclesBinary.start(["serve", "--port", "0", "--circle", circle, "--data-dir", directory + "/data"] + extra, in: directory)
        try await Wait.until(timeout: 30, "serve to listen") {
            CirclesBinary.read(started.out).contains("\n") || !started.process.isRunning
        }
        let line = CirclesBinary.read(started.out)
        let url = String(line.split(separator: " ").last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return (started.process, url, started.err)
    }
}
