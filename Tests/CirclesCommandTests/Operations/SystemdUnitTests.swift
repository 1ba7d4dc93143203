import CirclesCore
import Foundation
import Testing
import TestSupport

/// deploy/circles.service passes `systemd-analyze verify` (scripts/setup.sh installs systemd), and
/// the node sends READY=1 over NOTIFY_SOCKET once it accepts, as its Type=notify needs.
@Suite struct SystemdUnitTests {
    static let unit = CommandResult.repository + "/deploy/circles.service"

    @Test(.enabled(if: CirclesBinary.isBuilt))
    func theUnitVerifies() async throws {
        let text = try String(contentsOfFile: Self.unit, encoding: .utf8)
        #expect(text.contains("\nType=notify\n"))
        #expect(text.contains("\nExecStart=/usr/local/bin/circles launch "))
        // verify checks that ExecStart's executable exists: point it at this build.
        let directory = try TemporaryDirectory.make(prefix: "circles-systemd")
        try text.replacingOccurrences(of: "/usr/local/bin/circles", with: CirclesBinary.path)
            .write(toFile: directory + "/circles.service", atomically: true, encoding: .utf8)
        let analyze = try Executables.find("systemd-analyze")
        let result = try await CommandResult.run(analyze, ["verify", directory + "/circles.service"])
        #expect(result.code == 0, "\(result.err)")
        // verify reports bad directives as warnings and still exits 0.
        #expect(!result.err.contains("circles.service"), "\(result.err)")
        #expect(!result.out.contains("circles.service"), "\(result.out)")
    }

    @Test(.enabled(if: CirclesBinary.isBuilt), .timeLimit(.minutes(2)))
    func serveSendsReadyOnceItAccepts() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-notify")
        let socket = try NotifySocket(directory: directory)
        let circle = PrivateKey().publicKey.hex
        let (out, err) = (directory + "/out", directory + "/err")
        let child = try ChildProcess("/usr/bin/env", ["NOTIFY_SOCKET=\(socket.path)", CirclesBinary.path, "serve", "--circle", circle,
                                                      "--port", "0", "--data-dir", directory + "/data"],
                                     stdin: "/dev/null", stdout: out, stderr: err)
        defer { child.kill(SIGKILL) }
        var received: [String] = []
        let deadline = Wait.now() + 60
        while !received.contains(where: { $0.contains("READY=1") }), Wait.now() < deadline, child.isRunning {
            if let message = await onDedicatedThread({ socket.receive() }) { received.append(message) }
        }
        #expect(received.contains { $0.split(separator: "\n").contains("READY=1") }, "\(received) \(CirclesBinary.read(err))")
        // Ready means accepting: the readiness probe answers at once.
        let line = CirclesBinary.read(out)
        let port = try #require(line.split(separator: ":").last?.split(separator: "/").first.flatMap { Int($0) })
        let probe = try BlockingSocket(port: port)
        probe.send("GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
        #expect(String(decoding: await probe.readToEnd(), as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        let status = await child.stop(SIGTERM)
        #expect(ChildProcess.exitCode(of: status) == 0)
        let stopping = await onDedicatedThread { socket.receive() }
        #expect(stopping?.contains("STOPPING=1") == true)
    }

    @Test(.enabled(if: CirclesBinary.isBuilt), .timeLimit(.minutes(2)))
    func launchSendsReadyOnceEveryPortAccepts() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-notify-launch")
        let socket = try NotifySocket(directory: directory)
        let (first, second) = (try FreePort.next(), try FreePort.next())
        try #"[{"name": "a", "port": \#(first)}, {"name": "b", "port": \#(second)}]"#
            .write(toFile: directory + "/circles.json", atomically: true, encoding: .utf8)
        let child = try ChildProcess("/usr/bin/env", ["NOTIFY_SOCKET=\(socket.path)", CirclesBinary.path, "launch", "--config", directory + "/circles.json"],
                                     stdin: "/dev/null", stdout: directory + "/out", stderr: directory + "/err")
        defer { child.kill(SIGKILL) }
        var ready = false
        let deadline = Wait.now() + 60
        while !ready, Wait.now() < deadline, child.isRunning {
            ready = await onDedicatedThread({ socket.receive() })?.split(separator: "\n").contains("READY=1") ?? false
        }
        #expect(ready, "\(CirclesBinary.read(directory + "/err"))")
        for port in [first, second] {
            let probe = try BlockingSocket(port: port)
            probe.send("GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
            #expect(String(decoding: await probe.readToEnd(), as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        }
        #expect(ChildProcess.exitCode(of: await child.stop(SIGTERM)) == 0)
    }
}
