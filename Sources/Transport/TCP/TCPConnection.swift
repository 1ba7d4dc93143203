import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// A non-blocking TCP connection on one event loop. Reads until the kernel has nothing more; writes
/// straight away and queues what the kernel did not take. When more than `maxPending` bytes wait to
/// be written, reading pauses until the peer catches up (backpressure: a slow reader cannot make us
/// buffer without bound). With TLS (`TCPConnection+TLS`) the handler sees plaintext only, and the
/// queue and its limit count ciphertext.
///
/// `@unchecked Sendable`: all state is touched on `loop`'s thread; `send` and `close` from other
/// threads hop there first.
public final class TCPConnection: @unchecked Sendable {
    public let loop: EventLoop
    public let fd: Int32
    /// The peer's address without the port, for per-IP limits.
    public let peerHost: String
    public let maxPending: Int
    /// Held until the connection closes.
    public private(set) var handler: (any ConnectionHandler)?

    private var outbound: [UInt8] = []
    private var written = 0
    private var readingPaused = false
    private var registered = false
    private(set) var isClosed = false
    private var closeWhenFlushed = false
    private(set) var inputEnded = false
    /// TLS on this connection, set before it starts.
    var tls: TLSSession?

    init(fd: Int32, loop: EventLoop, peerHost: String, maxPending: Int = 4 << 20) {
        self.fd = fd
        self.loop = loop
        self.peerHost = peerHost
        self.maxPending = maxPending
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Starts delivering events to `handler` (on the loop thread).
    public func start(handler: any ConnectionHandler) {
        self.handler = handler
        register()
        // A client's TLS connection is registered for its handshake already and may hold plaintext.
        if let tls, tls.established { advanceTLS(tls) }
        readAvailable()
    }

    func register() {
        guard !registered else { return }
        registered = true
        loop.register(fd) { [self] events in self.handle(events) }
    }

    /// Hands the connection's events to another protocol (after a client-side upgrade); on the loop thread.
    func switchHandler(to handler: any ConnectionHandler) {
        self.handler = handler
    }

    /// Bytes waiting to be written.
    public var pendingBytes: Int { outbound.count - written + (tls?.pendingPlaintext.count ?? 0) }

    /// Whether the connection is closed or closing; on the loop thread.
    public var isOpen: Bool { !isClosed && !closeWhenFlushed && tls?.closeRequested != true }

    /// Writes from any thread.
    public func send(_ bytes: [UInt8]) {
        if loop.inLoop { write(bytes) } else { loop.execute { [self] in write(bytes) } }
    }

    /// Writes on the loop thread.
    public func write(_ bytes: [UInt8]) {
        guard isOpen else { return }
        if let tls {
            bytes.withUnsafeBytes { writeTLS($0, tls) }
        } else {
            bytes.withUnsafeBytes { writeToSocket($0) }
        }
    }

    /// Sends `bytes` as they are (ciphertext, with TLS), queueing what the kernel does not take.
    func writeToSocket(_ bytes: UnsafeRawBufferPointer) {
        guard !isClosed, !bytes.isEmpty else { return }
        if outbound.isEmpty {
            let count = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if count == bytes.count { return }
            if count < 0, errno != EAGAIN, errno != EWOULDBLOCK {
                closeNow()
                return
            }
            outbound.append(contentsOf: bytes[max(0, count)...])
        } else {
            outbound.append(contentsOf: bytes)
        }
        if pendingBytes > maxPending { readingPaused = true }
    }

    /// Closes after what is queued has been written; from any thread.
    public func close() {
        if loop.inLoop { closeAfterFlush() } else { loop.execute { [self] in closeAfterFlush() } }
    }

    /// Closes at once, dropping what is queued; on the loop thread.
    public func closeNow() {
        guard !isClosed else { return }
        isClosed = true
        loop.unregister(fd)
        Glibc.close(fd)
        if let tls { tlsClosed(tls) }
        handler?.closed(self)
        handler = nil
    }

    func closeAfterFlush() {
        guard !isClosed, !closeWhenFlushed else { return }
        // With TLS: close_notify first, or wait for the handshake when plaintext waits for it.
        if let tls, !closeTLS(tls) { return }
        if pendingBytes == 0 {
            finish()
        } else {
            closeWhenFlushed = true
        }
    }

    /// Sends FIN, then drains what the peer still sends (bounded) so that unread input does not turn
    /// the close into a reset that could destroy the reply in flight.
    private func finish() {
        shutdown(fd, Int32(SHUT_WR))
        var drained = 0
        while drained < 1 << 20 {
            let count = recv(fd, loop.readBuffer.baseAddress, loop.readBuffer.count, 0)
            if count <= 0 { break }
            drained += count
        }
        closeNow()
    }

    private func handle(_ events: UInt32) {
        if events & EPOLLOUT.rawValue != 0 { flush() }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { readAvailable() }
    }

    private func flush() {
        while written < outbound.count {
            let count = outbound.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + written, $0.count - written, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                written += count
            } else if count < 0, errno == EINTR {
                continue
            } else if count < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                return
            } else {
                closeNow()
                return
            }
        }
        outbound.removeAll(keepingCapacity: outbound.capacity <= 1 << 16)
        written = 0
        if closeWhenFlushed {
            finish()
            return
        }
        if readingPaused {
            readingPaused = false
            readAvailable()
        }
    }

    func readAvailable() {
        while !isClosed, !readingPaused, !inputEnded {
            // A client's TLS connection rests between its handshake and `start`.
            if handler == nil, let tls, tls.established { return }
            let count = recv(fd, loop.readBuffer.baseAddress, loop.readBuffer.count, 0)
            if count > 0 {
                let bytes = UnsafeRawBufferPointer(rebasing: loop.readBuffer[..<count])
                if let tls { receivedTLS(bytes, tls) } else { handler?.received(bytes, on: self) }
                if count < loop.readBuffer.count { return }
            } else if count == 0 {
                if let tls, !tls.established { return failTLS(.closedDuringHandshake) }
                endInput()
                return
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                return
            } else {
                closeNow()
                return
            }
        }
    }

    /// Nothing more will arrive (FIN, or TLS close_notify).
    func endInput() {
        inputEnded = true
        if let handler { handler.inputEnded(self) } else { closeNow() }
    }
}
