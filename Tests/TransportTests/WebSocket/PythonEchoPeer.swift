import TestSupport
import Testing
@testable import Transport

/// Python's `websockets` echo server (Tests/Interop/ws_peer.py) and the exchange our client runs with it.
enum PythonEchoPeer {
    /// Starts the server (over TLS with `certificate`) and returns it with its port.
    static func start(certificate: TestCertificate? = nil) async throws -> (process: ChildProcess, port: Int) {
        let tls = certificate.map { ["--cert", $0.certificatePath, "--key", $0.keyPath] } ?? []
        return try await Python.startServer(script: "ws_peer.py", arguments: ["server"] + tls)
    }

    /// Texts up to `largestText` bytes and a binary message echo back unchanged; "close:4001" makes the
    /// server close with that code, after which it exits 0.
    static func exchange(_ connection: WebSocketConnection, _ events: AsyncStream<WebSocketEvent>, largestText: Int,
                         server: ChildProcess) async {
        var iterator = events.makeAsyncIterator()
        for text in ["hello", "κόσμε 😃", String(repeating: "z", count: largestText)] {
            connection.send(text: text)
            #expect(await iterator.next() == .text(text))
        }
        let blob = (0..<100_000).map { UInt8(truncatingIfNeeded: $0) }
        connection.send(binary: blob)
        #expect(await iterator.next() == .binary(blob))
        connection.send(text: "close:4001")
        #expect(await iterator.next() == .closed(code: 4001, reason: "closing as asked"))
        let status = await onDedicatedThread { server.wait() }
        #expect(ChildProcess.exitCode(of: status) == 0)
    }
}
