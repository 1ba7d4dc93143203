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
/// `@unchecked Sendable`: all state is touched with `loop`'s turn held; `send` and `close` from
/// other threads go through `EventLoop.perform`.
public final class TCPConnection: @unchecked Sendable {
    public let loop: EventLoop
    public let fd: Int32
    /// The peer's address without the port, for per-IP limits.
    public let peerHost: String
    public let maxPending: Int
    /// Held until the connection closes.
    public private(set) var handler: (any ConnectionHandler)?

    /// What the kernel has not taken yet; nil (no storage held) when nothing waits.
    private var outbound: OutboundBuffer?
    /// Whether this connection holds its loop's cork: writes made while it handles input are
    /// gathered there and leave with one syscall when the input is handled.
    private var corked = false
    private var readingPaused = false
    /// Reading stopped by the handler (`pauseReading`), e.g. while pipelined requests wait.
    private var heldByHandler = false
    /// A read put off to the next loop turn (the read budget was used up, or the handler resumed).
    private var readScheduled = false
    private var registered = false
    private(set) var isClosed = false
    private var closeWhenFlushed = false
    private(set) var inputEnded = false
    /// The peer stopped taking bytes (a reset): nothing more is sent; what it sent before is still read.
    private var writeBroken = false
    /// Set while the connection, closed for its handler, keeps its socket open after our FIN to read
    /// and drop what the peer still sends (see `finish`); the socket is released when it fires.
    private var lingerTimer: UInt64?
    private var lingering: Bool { lingerTimer != nil }
    private var lingered = 0
    /// TLS on this connection, set before it starts.
    var tls: TLSSession?

    /// Corked output is sent once it reaches this size, even before the input is all handled.
    private static let corkLimit = 64 * 1024
    /// Bytes read from one connection per loop turn; a connection that always has input is read
    /// again on the next turn, after the other connections' events.
    static let readBudget = 256 * 1024
    /// How long, and for how many bytes, a closed connection's socket keeps reading before it closes.
    static let lingerSeconds = 2.0
    static let lingerLimit = 16 << 20

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
    public var pendingBytes: Int {
        (outbound?.count ?? 0) + (corked ? loop.cork.count : 0) + (tls?.pendingPlaintext.count ?? 0)
    }

    /// Whether the connection is closed or closing; on the loop thread.
    public var isOpen: Bool { !isClosed && !closeWhenFlushed && !writeBroken && tls?.closeRequested != true }

    /// Writes from any thread.
    public func send(_ bytes: [UInt8]) {
        loop.perform { [self] in write(bytes) }
    }

    /// Writes on the loop thread.
    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }

    /// Writes on the loop thread; the bytes are copied or sent before this returns.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        guard isOpen else { return }
        if let tls { writeTLS(bytes, tls) } else { writeToSocket(bytes) }
    }

    /// Writes `count` bytes that `fill` puts in place: straight into the outgoing buffer when one is
    /// in use (no copy), else into a temporary one. On the loop thread.
    func write(count: Int, _ fill: (UnsafeMutableRawPointer) -> Void) {
        guard isOpen, count > 0 else { return }
        if tls == nil {
            if let outbound {
                fill(outbound.reserve(count))
                outbound.commit(count)
                if pendingBytes > maxPending { readingPaused = true }
                return
            }
            if corked {
                fill(loop.cork.reserve(count))
                loop.cork.commit(count)
                return
            }
        }
        withUnsafeTemporaryAllocation(byteCount: count, alignment: 16) { buffer in
            fill(buffer.baseAddress!)
            write(UnsafeRawBufferPointer(buffer))
        }
    }

    /// Sends `bytes` as they are (ciphertext, with TLS), queueing what the kernel does not take.
    func writeToSocket(_ bytes: UnsafeRawBufferPointer) {
        guard !isClosed, !writeBroken, !bytes.isEmpty else { return }
        if let outbound {
            outbound.append(bytes)
        } else if corked {
            loop.cork.append(bytes)
            return
        } else {
            let count = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if count == bytes.count { return }
            if count < 0, errno != EAGAIN, errno != EWOULDBLOCK {
                sendFailed()
                return
            }
            queue(UnsafeRawBufferPointer(rebasing: bytes[max(0, count)...]))
        }
        if pendingBytes > maxPending { readingPaused = true }
    }

    private func queue(_ bytes: UnsafeRawBufferPointer) {
        let buffer = OutboundBuffer(capacity: bytes.count)
        buffer.append(bytes)
        outbound = buffer
    }

    /// Sends what was gathered in the loop's cork; what the kernel does not take is queued (the
    /// cork holds bytes only while nothing else is queued, so the order holds).
    private func sendCorked() {
        let cork = loop.cork
        guard corked, !cork.isEmpty else { return }
        defer { cork.clear() }
        guard !isClosed else { return }
        let bytes = cork.bytes
        let count = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
        if count == bytes.count { return }
        if count < 0, errno != EAGAIN, errno != EWOULDBLOCK {
            cork.clear()
            sendFailed()
            return
        }
        queue(UnsafeRawBufferPointer(rebasing: bytes[max(0, count)...]))
        if pendingBytes > maxPending { readingPaused = true }
    }

    /// Closes after what is queued has been written; from any thread.
    public func close() {
        loop.perform { [self] in closeAfterFlush() }
    }

    /// Closes at once, dropping what is queued; on the loop thread.
    public func closeNow() {
        guard !isClosed else { return }
        if corked, !loop.cork.isEmpty, !writeBroken {
            // What was written so far reaches the kernel, as it would have without the cork.
            let bytes = loop.cork.bytes
            _ = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            loop.cork.clear()
        }
        closeForHandler()
        releaseSocket()
    }

    /// The connection is closed as far as its handler and writers are concerned.
    private func closeForHandler() {
        isClosed = true
        outbound = nil
        if let tls { tlsClosed(tls) }
        handler?.closed(self)
        handler = nil
    }

    private func releaseSocket() {
        if let timer = lingerTimer { loop.cancelTimer(timer) }
        lingerTimer = nil
        loop.unregister(fd)
        Glibc.close(fd)
    }

    /// A send failed (the peer reset the connection): nothing more can be sent, but the peer's last
    /// bytes — often a close frame saying why — may still wait unread. They are read and handed over
    /// first (on the next turn of the loop, never inside a handler's own call), then the connection closes.
    private func sendFailed() {
        guard !isClosed, !writeBroken else { return }
        writeBroken = true
        outbound = nil
        readingPaused = false
        loop.execute { [self] in
            guard !isClosed else { return }
            readLoop()
            closeNow()
        }
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

    /// Stops reading until `resumeReading` (the kernel buffers, then the peer's window fills: the
    /// peer is held back). On the loop thread.
    public func pauseReading() {
        heldByHandler = true
    }

    /// Reads again after `pauseReading`, on the next turn of the loop (input already waiting raises
    /// no new event). On the loop thread.
    public func resumeReading() {
        guard heldByHandler else { return }
        heldByHandler = false
        readOnNextTurn()
    }

    /// Whether the handler paused reading.
    public var isReadingPaused: Bool { heldByHandler }

    private func readOnNextTurn() {
        guard !readScheduled, !isClosed else { return }
        readScheduled = true
        loop.later { [self] in
            readScheduled = false
            if !isClosed, !lingering { readAvailable() }
        }
    }

    /// Pushes corked output to the kernel now (before a decision that depends on what is still queued).
    func uncork() {
        if corked { sendCorked() }
    }

    /// Sends FIN and closes the connection for its handler, but keeps the socket reading (and dropping)
    /// what the peer still sends until the peer closes too, `lingerLimit` bytes or `lingerSeconds` — a
    /// lingering close. Closing with unread input would make the kernel answer with a reset, which can
    /// destroy the reply in flight: a close frame saying why, sent to a peer still sending.
    private func finish() {
        shutdown(fd, Int32(SHUT_WR))
        closeForHandler()
        guard registered, !drainLingering() else { return releaseSocket() }
        lingerTimer = loop.schedule(after: Self.lingerSeconds) { [self] in
            lingerTimer = nil
            releaseSocket()
        }
    }

    /// Reads and drops what has arrived; true when the lingering is over (the peer closed, an error, or
    /// the byte limit).
    private func drainLingering() -> Bool {
        while true {
            let count = recv(fd, loop.readBuffer.baseAddress, loop.readBuffer.count, 0)
            if count > 0 {
                lingered += count
                if lingered >= Self.lingerLimit { return true }
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
            }
        }
    }

    private func handle(_ events: UInt32) {
        if lingering {
            if drainLingering() { releaseSocket() }
            return
        }
        if events & EPOLLOUT.rawValue != 0 { flush() }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { readAvailable() }
    }

    private func flush() {
        if let outbound {
            while !outbound.isEmpty {
                let bytes = outbound.bytes
                let count = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
                if count > 0 {
                    outbound.consume(count)
                } else if count < 0, errno == EINTR {
                    continue
                } else if count < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                    return
                } else {
                    sendFailed()
                    return
                }
            }
            // Drained: give the storage back, so that an idle connection holds no buffer.
            self.outbound = nil
            if !closeWhenFlushed, !isClosed { handler?.writable(self) }
        }
        if closeWhenFlushed {
            finish()
            return
        }
        if readingPaused {
            readingPaused = false
            readAvailable()
        }
    }

    /// Reads until the kernel has nothing more, the handler has closed the connection, or reading
    /// is paused. Output written meanwhile is gathered in the loop's cork and sent at the end.
    func readAvailable() {
        let corking = !corked && !loop.corkInUse
        if corking {
            corked = true
            loop.corkInUse = true
        }
        readLoop()
        guard corking else { return }
        sendCorked()
        corked = false
        loop.corkInUse = false
        if closeWhenFlushed, !isClosed, outbound == nil { finish() }
    }

    private func readLoop() {
        var budget = Self.readBudget
        while !isClosed, !readingPaused, !heldByHandler, !inputEnded {
            if budget <= 0 { return readOnNextTurn() }
            // A client's TLS connection rests between its handshake and `start`.
            if handler == nil, let tls, tls.established { return }
            let count = recv(fd, loop.readBuffer.baseAddress, loop.readBuffer.count, 0)
            if count > 0 {
                let bytes = UnsafeRawBufferPointer(rebasing: loop.readBuffer[..<count])
                if let tls { receivedTLS(bytes, tls) } else { handler?.received(bytes, on: self) }
                if corked {
                    // After a close request nothing more is handed over: the close drains it.
                    if closeWhenFlushed { return }
                    if loop.cork.count >= Self.corkLimit { sendCorked() }
                }
                if count < loop.readBuffer.count { return }
                budget -= count
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
