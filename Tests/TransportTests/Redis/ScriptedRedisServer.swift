import Synchronization
@testable import Transport

/// A stand-in for a Redis server on our own listener, for what a real one will not do: it answers
/// whatever arrives with `answer` (bytes to send back, possibly nothing), so tests can send
/// malformed replies, replies without commands, or no reply at all.
final class ScriptedRedisServer: Sendable {
    private final class Handler: ConnectionHandler {
        let answer: @Sendable ([UInt8]) -> [UInt8]
        init(answer: @escaping @Sendable ([UInt8]) -> [UInt8]) { self.answer = answer }

        func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection) {
            let reply = answer(Array(bytes))
            if !reply.isEmpty { connection.write(reply) }
        }

        func closed(_ connection: TCPConnection) {}
    }

    private final class Accepted: Sendable {
        let connections = Mutex<[TCPConnection]>([])
    }

    private let listener: TCPListener
    private let accepted = Accepted()

    var port: Int { listener.port }
    var url: String { "redis://127.0.0.1:\(listener.port)" }

    init(answer: @escaping @Sendable ([UInt8]) -> [UInt8]) throws {
        let accepted = self.accepted
        listener = try TCPListener(host: "127.0.0.1", port: 0) { connection in
            accepted.connections.withLock { $0.append(connection) }
            connection.start(handler: Handler(answer: answer))
        }
    }

    /// Closes the listener and every connection it accepted.
    func stop() {
        listener.close()
        for connection in accepted.connections.withLock({ $0 }) { connection.close() }
    }
}
