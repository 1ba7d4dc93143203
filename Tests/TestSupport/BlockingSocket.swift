#if canImport(Glibc)
import Glibc
#endif

import Foundation

/// A plain blocking TCP client for tests: connect, send raw bytes, read with a timeout (30 s unless
/// given: room for a loaded machine; tests never wait it out on success). Reads run on
/// a thread of their own and are awaited, so a test never blocks Swift's cooperative pool (two
/// threads here), which the server's handlers need in order to answer.
public final class BlockingSocket: @unchecked Sendable {
    public let fd: Int32

    public init(host: String = "127.0.0.1", port: Int, timeout: Double = 30) throws {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let info = list else { throw FreePort.Failure(description: "resolve \(host)") }
        defer { freeaddrinfo(list) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let code = errno
            close(fd)
            throw FreePort.Failure(description: "connect \(host):\(port): errno \(code)")
        }
        self.fd = fd
        var time = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Sends all of `bytes` (blocking); false when the connection failed first (a reset, a timeout).
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }

    @discardableResult
    public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Sends FIN: the peer sees the end of input, replies can still arrive.
    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Ends the connection now, whoever still holds this object (the descriptor itself is released on deinit).
    public func hangUp() { shutdown(fd, Int32(SHUT_RDWR)) }

    /// Reads exactly `count` bytes (fewer when the peer closes or the read times out).
    public func read(_ count: Int) async -> [UInt8] {
        await onDedicatedThread { self.readBlocking(count) }
    }

    private func readBlocking(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + filled, count - filled, 0) }
            guard got > 0 else { break }
            filled += got
        }
        return Array(out[..<filled])
    }

    /// Reads until the peer closes or the read times out.
    public func readToEnd() async -> [UInt8] {
        await onDedicatedThread { self.readToEndBlocking() }
    }

    private func readToEndBlocking() -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            guard got > 0 else { return out }
            out.append(contentsOf: chunk[..<got])
        }
    }

    /// Reads until `marker` appears; returns everything read.
    public func read(until marker: String) async -> String {
        await onDedicatedThread { self.readBlocking(until: marker) }
    }

    private func readBlocking(until marker: String) -> String {
        var out: [UInt8] = []
        let needle = Array(marker.utf8)
        var byte = [UInt8](repeating: 0, count: 1)
        while !out.ends(with: needle) {
            guard recv(fd, &byte, 1, 0) == 1 else { break }
            out.append(byte[0])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when the peer closed the connection (a read returns 0).
    public func peerClosed() async -> Bool {
        await onDedicatedThread { self.peerClosedBlocking() }
    }

    private func peerClosedBlocking() -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}

extension BlockingSocket {
    /// Reads until the peer closes (or resets) the connection or the read times out; `closed` tells which.
    public func readAll() async -> (bytes: [UInt8], closed: Bool) {
        await onDedicatedThread {
            var out: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let got = chunk.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress!, $0.count, 0) }
                if got > 0 {
                    out.append(contentsOf: chunk[..<got])
                } else {
                    return (out, got == 0 || errno == ECONNRESET)
                }
            }
        }
    }
}

extension BlockingSocket {
    /// Sends `total` bytes of `unit` repeated (never reading), until a send stalls for `stall` seconds;
    /// returns the bytes the peer let in.
    public func flood(unit: [UInt8], total: Int, stall: Double) async -> Int {
        var time = timeval(tv_sec: Int(stall), tv_usec: Int((stall - stall.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        let chunk = Array(repeating: unit, count: max(1, (64 << 10) / unit.count)).flatMap { $0 }
        let fd = self.fd
        return await onDedicatedThread {
            var sent = 0
            while sent < total {
                let count = chunk.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if count <= 0 { break }
                sent += count
            }
            return sent
        }
    }
}
