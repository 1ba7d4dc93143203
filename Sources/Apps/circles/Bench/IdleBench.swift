import ArgumentParser
import Foundation
import Transport
#if canImport(Glibc)
import Glibc
#endif

/// `circles bench idle`: opens many WebSocket connections to a server on this machine, echoes one
/// message on each, leaves them idle and reports the server's memory per connection, read from
/// /proc before and after. Plain blocking sockets on the main thread (no cooperative pool).
struct IdleBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idle",
        abstract: "Server memory per idle WebSocket connection (RSS from /proc before and after opening them).",
        discussion: """
            Example: circles bench echo-server --port 18300 & circles bench idle --connections 10000 --url ws://127.0.0.1:18300/echo
            The server is found by its listening port unless --pid is given; it must run on this machine.
            """
    )

    @Option(help: "Connections to open.") var connections = 10_000
    @Option(help: "The server's ws:// URL (loopback).") var url = "ws://127.0.0.1:8080/echo"
    @Option(help: "The server's process id (default: the process listening on the URL's port).") var pid: Int32?
    @Option(help: "Bytes of one text message echoed on every connection before it idles (0: none).") var message = 64
    @Option(help: "Seconds to let the server settle before its memory is read.") var settle = 2.0

    func run() throws {
        guard let target = WebSocketURL(url), !target.secure else { throw ValidationError("need a ws:// URL: \(url)") }
        let limit = Self.raiseFileLimit()
        guard limit > connections + 16 else {
            throw ValidationError("RLIMIT_NOFILE is \(limit): too low for \(connections) connections")
        }
        guard let server = pid ?? ProcessMemory.listener(port: target.port) else {
            throw ValidationError("no process of ours listens on port \(target.port); pass --pid")
        }
        let before = try ProcessMemory(pid: server)
        print("server pid \(server): VmRSS \(before.rss) KiB, RssAnon \(before.anonymous) KiB before")

        var sockets: [Int32] = []
        sockets.reserveCapacity(connections)
        defer { for fd in sockets { close(fd) } }
        let request = Array("GET \(target.target) HTTP/1.1\r\nHost: \(target.host):\(target.port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            .utf8) + Array("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8)
        let started = Date()
        for index in 0..<connections {
            let fd = try Self.connect(host: target.host, port: target.port)
            sockets.append(fd)
            try Self.sendAll(fd, request)
            let head = try Self.readHead(fd)
            guard head.hasPrefix("HTTP/1.1 101") else {
                throw ValidationError("connection \(index): no upgrade: \(head.prefix(80))")
            }
        }
        print("opened \(connections) connections in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        if message > 0 {
            let payload = [UInt8](repeating: UInt8(ascii: "x"), count: message)
            let frame = Self.maskedTextFrame(payload)
            for fd in sockets { try Self.sendAll(fd, frame) }
            let expected = 2 + (message < 126 ? 0 : message <= 0xFFFF ? 2 : 8) + message
            for fd in sockets { try Self.readExactly(fd, expected) }
            print("echoed one \(message)-byte message on each")
        }
        Thread.sleep(forTimeInterval: settle)
        let after = try ProcessMemory(pid: server)
        let perConnection = Double(after.rss - before.rss) * 1024 / Double(connections)
        let anonymousPerConnection = Double(after.anonymous - before.anonymous) * 1024 / Double(connections)
        print("server pid \(server): VmRSS \(after.rss) KiB, RssAnon \(after.anonymous) KiB, VmHWM \(after.peak) KiB with \(connections) idle connections")
        print("per idle connection: \(Int(perConnection.rounded())) bytes (VmRSS), \(Int(anonymousPerConnection.rounded())) bytes (RssAnon)")
    }

    /// Raises the soft open-file limit to the hard one; returns the new soft limit.
    static func raiseFileLimit() -> Int {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return Int(clamping: limit.rlim_cur)
    }

    private static func connect(host: String, port: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let info = list else { throw ValidationError("cannot resolve \(host)") }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ValidationError("socket: errno \(errno)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let code = errno
            close(fd)
            throw ValidationError("connect \(host):\(port): errno \(code)")
        }
        return fd
    }

    private static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw ValidationError("send: errno \(errno)") }
            offset += count
        }
    }

    /// Reads the handshake answer; the server sends nothing after it until it gets a frame.
    private static func readHead(_ fd: Int32) throws -> String {
        var head: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while !(head.count >= 4 && head[(head.count - 4)...].elementsEqual([13, 10, 13, 10])) {
            let got = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard got > 0 else { throw ValidationError("handshake: connection closed or timed out") }
            head += chunk[..<got]
        }
        return String(decoding: head, as: UTF8.self)
    }

    private static func readExactly(_ fd: Int32, _ count: Int) throws {
        var buffer = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + offset, count - offset, 0) }
            guard got > 0 else { throw ValidationError("echo: connection closed or timed out") }
            offset += got
        }
    }

    private static func maskedTextFrame(_ payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8(truncatingIfNeeded: payload.count >> shift)) }
        }
        let key: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        frame += key
        frame += payload.enumerated().map { $0.element ^ key[$0.offset & 3] }
        return frame
    }
}
