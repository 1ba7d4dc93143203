import Foundation
import TestSupport
import Testing
@testable import Transport

/// A peer that says why it closes and then resets the connection (no lingering close on its side):
/// our client, still sending, must read the close frame before it gives up on the socket.
@Suite struct ResetPeerTests {
    @Test func aClientStillSendingReadsTheCloseFrameOfAPeerThatResets() async throws {
        let listener = try RawListener()
        let peer = Task {
            await onDedicatedThread { listener.acceptUpgradeReadThenCloseAndReset(closeCode: WebSocketCloseCode.tooBig) }
        }
        let (connection, events) = try await WebSocketClient.connect(to: "ws://127.0.0.1:\(listener.port)/")
        connection.send(text: String(repeating: "x", count: 12 << 20))
        var code: UInt16?
        for await event in events {
            if case .closed(let closed, _) = event { code = closed }
        }
        #expect(await peer.value, "the peer saw the upgrade and our data")
        #expect(code == WebSocketCloseCode.tooBig)
    }
}

/// One raw TCP server socket on 127.0.0.1, driven step by step from a dedicated thread.
private final class RawListener: Sendable {
    let fd: Int32
    let port: Int

    init() throws {
        (fd, port) = try FreePort.listening()
    }

    deinit { close(fd) }

    /// Accepts one client, completes its WebSocket upgrade, reads 64 KiB of what it sends, sends a close
    /// frame with `closeCode` and closes with a reset (SO_LINGER 0). True when all of that happened.
    func acceptUpgradeReadThenCloseAndReset(closeCode: UInt16) -> Bool {
        let client = accept(fd, nil, nil)
        guard client >= 0 else { return false }
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while !String(decoding: request, as: UTF8.self).contains("\r\n\r\n") {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { close(client); return false }
            request += buffer[..<count]
        }
        let text = String(decoding: request, as: UTF8.self)
        guard let line = text.components(separatedBy: "\r\n").first(where: { $0.lowercased().hasPrefix("sec-websocket-key:") }) else {
            close(client)
            return false
        }
        let key = line.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
        let response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(WebSocketHandshake.accept(for: key))\r\n\r\n"
        _ = send(client, response, response.utf8.count, Int32(MSG_NOSIGNAL))
        var received = request.count - (text.range(of: "\r\n\r\n")!.upperBound.utf16Offset(in: text))
        while received < 64 << 10 {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { close(client); return false }
            received += count
        }
        let frame: [UInt8] = [0x88, 0x02, UInt8(closeCode >> 8), UInt8(closeCode & 0xFF)]
        _ = send(client, frame, frame.count, Int32(MSG_NOSIGNAL))
        var reset = linger(l_onoff: 1, l_linger: 0)
        setsockopt(client, SOL_SOCKET, SO_LINGER, &reset, socklen_t(MemoryLayout<linger>.size))
        close(client)
        return true
    }
}
