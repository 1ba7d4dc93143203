import Synchronization
import TestSupport
import Testing
@testable import Transport

/// Echoes every byte back.
final class Echo: ConnectionHandler {
    let onClose: @Sendable () -> Void
    init(onClose: @escaping @Sendable () -> Void) { self.onClose = onClose }
    func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection) { connection.write(Array(bytes)) }
    func closed(_ connection: TCPConnection) { onClose() }
}

final class EchoServer: Sendable {
    let closed = Atomic<Int>(0)
    let listener: TCPListener

    init(host: String = "127.0.0.1", group: EventLoopGroup) throws {
        let box = Box()
        listener = try TCPListener(host: host, port: 0, group: group) { connection in
            connection.start(handler: Echo { box.server?.closed.add(1, ordering: .relaxed) })
        }
        box.server = self
    }

    final class Box: @unchecked Sendable { weak var server: EchoServer? }
}

@Suite struct TCPTests {
    let group = EventLoopGroup(loops: 2)

    @Test func echoesOverIPv4AndIPv6WithManyClients() async throws {
        for host in ["127.0.0.1", "::1"] {
            let server = try EchoServer(host: host, group: group)
            #expect(server.listener.port > 0)
            let clients = try (0..<20).map { _ in try BlockingSocket(host: host, port: server.listener.port) }
            for (index, client) in clients.enumerated() { client.send("hello \(index)|") }
            for (index, client) in clients.enumerated() {
                let expected = "hello \(index)|"
                #expect(String(decoding: await client.read(expected.utf8.count), as: UTF8.self) == expected)
            }
            let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0) }
            clients[0].send(big)
            #expect(await clients[0].read(big.count) == big)
            server.listener.close()
        }
    }

    @Test func aClosedPeerIsNoticed() async throws {
        let server = try EchoServer(group: group)
        let client = try BlockingSocket(port: server.listener.port)
        client.send("x")
        #expect(await client.read(1) == [UInt8(ascii: "x")])
        client.hangUp()
        try await Wait.until(timeout: 30, "the server to see the close") { server.closed.load(ordering: .relaxed) == 1 }
        server.listener.close()
    }
}
