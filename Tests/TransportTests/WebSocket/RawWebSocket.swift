import Synchronization
import TestSupport
import Testing
@testable import Transport

/// A frame as the test reads it off the wire, decoded independently of the code under test.
struct WireFrame: Equatable, CustomStringConvertible {
    var fin: Bool
    var opcode: UInt8
    var payload: [UInt8]

    var closeCode: UInt16? {
        guard opcode == 8, payload.count >= 2 else { return nil }
        return UInt16(payload[0]) << 8 | UInt16(payload[1])
    }

    var text: String { String(decoding: payload, as: UTF8.self) }
    var description: String { "frame(op \(opcode), fin \(fin), \(payload.count) bytes)" }
}

/// A hand-driven WebSocket client over a plain socket: it builds frames byte by byte (any opcode,
/// reserved bits, masking, fragmentation) and reads the server's frames, like the Autobahn fuzzing
/// client does.
final class RawWebSocket: Sendable {
    let socket: BlockingSocket

    init(port: Int, path: String = "/echo") async throws {
        socket = try BlockingSocket(port: port, timeout: 10)
        socket.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        let head = await socket.read(until: "\r\n\r\n")
        guard head.hasPrefix("HTTP/1.1 101 "), head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") else {
            throw FreePort.Failure(description: "handshake failed: \(head)")
        }
    }

    static func frame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0, mask: Bool = true) -> [UInt8] {
        var out: [UInt8] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode]
        let maskBit: UInt8 = mask ? 0x80 : 0
        if payload.count < 126 {
            out.append(maskBit | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            out += [maskBit | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            out.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: payload.count >> shift)) }
        }
        guard mask else { return out + payload }
        let key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        out += key
        out += payload.enumerated().map { $0.element ^ key[$0.offset & 3] }
        return out
    }

    func send(_ opcode: UInt8, _ payload: [UInt8] = [], fin: Bool = true, rsv: UInt8 = 0, mask: Bool = true) {
        socket.send(Self.frame(opcode, payload, fin: fin, rsv: rsv, mask: mask))
    }

    func send(text: String, fin: Bool = true) { send(1, Array(text.utf8), fin: fin) }

    /// Sends raw bytes one at a time (Autobahn's "chopped" cases).
    func trickle(_ bytes: [UInt8]) {
        for byte in bytes { socket.send([byte]) }
    }

    /// The next frame, or nil when the connection closed or nothing came within the socket timeout.
    func read() async -> WireFrame? {
        let head = await socket.read(2)
        guard head.count == 2 else { return nil }
        var length = Int(head[1] & 0x7F)
        if length == 126 {
            let extended = await socket.read(2)
            guard extended.count == 2 else { return nil }
            length = Int(extended[0]) << 8 | Int(extended[1])
        } else if length == 127 {
            let extended = await socket.read(8)
            guard extended.count == 8 else { return nil }
            length = extended.reduce(0) { $0 << 8 | Int($1) }
        }
        #expect(head[1] & 0x80 == 0, "server frames are never masked")
        let payload = length == 0 ? [] : await socket.read(length)
        guard payload.count == length else { return nil }
        return WireFrame(fin: head[0] & 0x80 != 0, opcode: head[0] & 0x0F, payload: payload)
    }

    /// Reads frames up to the server's close frame; returns its code (nil if it never came), and checks
    /// that the server then closes the TCP connection.
    func closeCode(skipping allowed: Set<UInt8> = [1, 2, 9, 10]) async -> UInt16? {
        while let frame = await read() {
            if frame.opcode == 8 {
                #expect(await socket.peerClosed(), "the server closes TCP after its close frame")
                return frame.closeCode ?? WebSocketCloseCode.noStatus
            }
            guard allowed.contains(frame.opcode) else { return nil }
        }
        return nil
    }
}

/// A WebSocket echo server for conformance tests: text and binary messages come back unchanged.
struct WebSocketEchoServer {
    let server: HTTPServer
    let events = EventLog()
    var port: Int { server.port }

    init(host: String = "127.0.0.1", _ configure: (inout WebSocketConfiguration) -> Void = { _ in },
         http configureHTTP: (inout HTTPServerConfiguration) -> Void = { _ in }) throws {
        var configuration = WebSocketConfiguration()
        configuration.maxFrameSize = 16 << 20
        configuration.maxMessageSize = 16 << 20
        configure(&configuration)
        var router = HTTPRouter()
        let log = events
        router.webSocket("/echo", configuration: configuration) { _, connection in
            log.accepted(connection)
            return .accept { event in
                log.append(event)
                switch event {
                case .text(let text): connection.send(text: text)
                case .binary(let bytes): connection.send(binary: bytes)
                case .closed: break
                }
            }
        }
        router.webSocket("/closing") { _, connection in
            .accept { event in
                log.append(event)
                if case .text(let text) = event { connection.close(code: UInt16(text) ?? 1000, reason: "bye") }
            }
        }
        router.add("GET", "/plain") { _ in .text(200, "plain") }
        var http = HTTPServerConfiguration()
        http.host = host
        configureHTTP(&http)
        server = try HTTPServer(configuration: http, router: router, group: HTTPServerTests.group)
    }

    func stop() { server.stopAccepting() }
}

/// Events a server saw, readable from the test.
final class EventLog: Sendable {
    private let storage = Mutex<[WebSocketEvent]>([])
    private let connections = Mutex<[WebSocketConnection]>([])

    func accepted(_ connection: WebSocketConnection) { connections.withLock { $0.append(connection) } }
    /// Pongs the server's connections received.
    var pongs: Int { connections.withLock { $0.reduce(0) { $0 + $1.pongsReceived.load(ordering: .relaxed) } } }

    func append(_ event: WebSocketEvent) { storage.withLock { $0.append(event) } }
    var all: [WebSocketEvent] { storage.withLock { $0 } }

    var closed: (code: UInt16, reason: String)? {
        for case .closed(let code, let reason) in all { return (code, reason) }
        return nil
    }
}
