/// TLS on a connection: ciphertext read from the socket goes through the connection's `TLSSession`
/// and the handler receives plaintext; plaintext written is encrypted and leaves through the normal
/// write path (same queue, same backpressure). Everything runs on the loop thread. A TLS failure
/// closes only this connection and is kept in `tlsFailure`.
extension TCPConnection {
    /// Whether the connection speaks TLS.
    public var isSecure: Bool { tls != nil }

    /// The negotiated TLS version ("TLSv1.3"), once the handshake is done; on the loop thread.
    public var tlsVersion: String? {
        guard let tls, tls.established else { return nil }
        return tls.version
    }

    /// Why TLS ended the connection (a failed handshake, plain HTTP on a TLS port...); on the loop thread.
    public var tlsFailure: TLSError? { tls?.failure }

    /// Makes an accepted connection a TLS server connection; before `start`, on the loop thread.
    /// On failure the connection is closed and false is returned.
    func acceptTLS(_ context: TLSServerContext) -> Bool {
        do {
            tls = try TLSSession(server: context)
            return true
        } catch {
            closeNow()
            return false
        }
    }

    /// Runs a client handshake on a fresh outbound connection: registers it with the loop and sends
    /// the ClientHello. `completion` runs once, with nil when the handshake is done (the connection
    /// then waits for `start`) or the error that closed the connection.
    func startClientTLS(_ session: TLSSession, timeout: Double, completion: @escaping (TLSError?) -> Void) {
        tls = session
        session.completion = completion
        session.timer = loop.schedule(after: timeout) { [self] in
            session.timer = nil
            failTLS(.handshakeTimedOut)
        }
        register()
        advanceTLS(session)
        readAvailable()
    }

    /// Ciphertext from the socket.
    func receivedTLS(_ bytes: UnsafeRawBufferPointer, _ tls: TLSSession) {
        if tls.isServer, !tls.receivedAny, TLSSession.looksLikePlainHTTP(bytes) {
            // Tell a browser or curl what went wrong, in its own protocol, then close.
            tls.failure = .plainHTTP
            Self.plainHTTPRefusal.withUnsafeBytes { writeToSocket($0) }
            tls.pendingPlaintext = []
            closeAfterFlush()
            return
        }
        tls.feed(bytes)
        advanceTLS(tls)
    }

    private static let plainHTTPRefusal = HTTPResponse.text(400, "this port speaks TLS: use https:// or wss://").encoded(keepAlive: false)

    /// Moves the handshake on, then decrypts what has arrived for the handler.
    func advanceTLS(_ tls: TLSSession) {
        if !tls.established {
            let progress = tls.handshake()
            flushTLS(tls)
            switch progress {
            case .needsInput: return
            case .failed(let error): return failTLS(error)
            case .established: established(tls)
            }
        }
        // A client connection rests here until `start` gives it a handler.
        while !isClosed, !inputEnded, handler != nil {
            switch tls.read(into: loop.readBuffer) {
            case .bytes(let count):
                handler?.received(UnsafeRawBufferPointer(rebasing: loop.readBuffer[..<count]), on: self)
            case .needsInput:
                // Reading may have produced records to send (a key update, an alert).
                return flushTLS(tls)
            case .closed:
                flushTLS(tls)
                return endInput()
            case .failed(let error):
                flushTLS(tls)
                return failTLS(error)
            }
        }
    }

    private func established(_ tls: TLSSession) {
        tls.established = true
        if let timer = tls.timer { loop.cancelTimer(timer) }
        tls.timer = nil
        if let completion = tls.completion {
            tls.completion = nil
            completion(nil)
        }
        if !tls.pendingPlaintext.isEmpty {
            let plaintext = tls.pendingPlaintext
            tls.pendingPlaintext = []
            plaintext.withUnsafeBytes { writeTLS($0, tls) }
        }
        if tls.closeRequested {
            tls.closeRequested = false
            closeAfterFlush()
        }
    }

    /// Encrypts `bytes` (held back until the handshake is done), a record at a time so that the
    /// output BIO stays small.
    func writeTLS(_ bytes: UnsafeRawBufferPointer, _ tls: TLSSession) {
        guard tls.established else { return tls.pendingPlaintext.append(contentsOf: bytes) }
        var offset = 0
        while offset < bytes.count, !isClosed {
            let end = min(bytes.count, offset + 16 * 1024)
            let error = tls.write(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
            flushTLS(tls)
            if let error { return failTLS(error) }
            offset = end
        }
    }

    /// Sends what OpenSSL produced (handshake messages, records, alerts).
    func flushTLS(_ tls: TLSSession) {
        tls.drainOutput { writeToSocket($0) }
    }

    /// Before a graceful close: queues close_notify. Returns false while the close must wait for the
    /// handshake to send the plaintext written during it.
    func closeTLS(_ tls: TLSSession) -> Bool {
        if tls.established {
            if tls.failure == nil, !tls.sentCloseNotify {
                tls.shutdown()
                flushTLS(tls)
            }
            return true
        }
        guard tls.failure == nil, !tls.pendingPlaintext.isEmpty else { return true }
        tls.closeRequested = true
        return false
    }

    /// Ends the connection because of `error`. An alert OpenSSL made for the peer has been sent: when
    /// nothing else waits, the close is graceful so that the alert is not lost to a reset.
    func failTLS(_ error: TLSError) {
        guard let tls, !isClosed else { return }
        if tls.failure == nil { tls.failure = error }
        uncork()
        if pendingBytes == 0 { closeAfterFlush() } else { closeNow() }
    }

    /// The connection closed: a pending handshake fails.
    func tlsClosed(_ tls: TLSSession) {
        if let timer = tls.timer { loop.cancelTimer(timer) }
        tls.timer = nil
        tls.pendingPlaintext = []
        if let completion = tls.completion {
            tls.completion = nil
            completion(tls.failure ?? .closedDuringHandshake)
        }
    }
}
