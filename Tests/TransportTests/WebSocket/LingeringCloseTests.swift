import TestSupport
import Testing
@testable import Transport

/// Closing with input still arriving: the server keeps reading (and dropping) after its FIN, so the
/// peer's kernel gets no reset and the peer reads why it was closed.
@Suite struct LingeringCloseTests {
    @Test func aPeerStillSendingAnOversizedMessageReadsTheCloseFrame() async throws {
        let server = try WebSocketEchoServer {
            $0.maxFrameSize = 64 << 10
            $0.maxMessageSize = 64 << 10
        }
        defer { server.stop() }
        let peer = try await RawWebSocket(port: server.port)
        // One 12 MiB text frame (more than the kernel buffers between the two hold), written whole before
        // anything is read: the server refuses it at its header and must read on for the peer to finish.
        // Masked with a zero key, so the payload goes as it is.
        let length = 12 << 20
        var frame: [UInt8] = [0x81, 0x80 | 127]
        for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8(truncatingIfNeeded: length >> shift)) }
        frame += [0, 0, 0, 0]
        frame += [UInt8](repeating: UInt8(ascii: "x"), count: length)
        let wire = frame
        let sent = await onDedicatedThread { peer.socket.send(wire) }
        #expect(sent, "the server read on after its close: the connection was not reset")
        #expect(await peer.closeCode() == WebSocketCloseCode.tooBig)
    }
}
