import Synchronization
import Threads

/// One WebSocket connection (server or client side) on its event loop. It reassembles fragmented
/// messages, validates text as it arrives, answers pings, keeps the connection alive, runs the close
/// handshake and fails the connection with the right close code on any violation. Events reach the
/// application in order through `onEvent`, called on the loop thread (hand them to an actor there).
///
/// `@unchecked Sendable`: all state lives on the loop thread; the public methods hop there.
public final class WebSocketConnection: @unchecked Sendable {
    public typealias EventHandler = @Sendable (WebSocketEvent) -> Void

    public let tcp: TCPConnection
    public let isClient: Bool
    public let configuration: WebSocketConfiguration

    private enum State {
        case open
        /// We sent a close frame and wait for the peer's.
        case closeSent
        case closed
    }

    private var onEvent: EventHandler?
    private var decoder: WebSocketFrameDecoder
    private var state = State.open
    /// The code and reason of the close frame we sent first, reported when the peer answers.
    private var sentClose: (code: UInt16, reason: String)?
    private var inputStopped = false
    private var frame: WebSocketFrameHeader?
    private var messageOpcode: WebSocketOpcode?
    /// A message that arrived over several reads or frames, unmasked; empty (no storage) otherwise.
    private var message: [UInt8] = []
    /// A message that arrived whole in one read, built straight from the read buffer.
    private var whole: WebSocketEvent?
    private var validator = UTF8Validator()
    private var control: [UInt8] = []
    private var lastReceived: Double
    private var pingSentAt: Double?
    private var keepAliveTimer: UInt64?
    private var closeTimer: UInt64?
    /// Pongs received so far, readable from any thread (tests).
    let pongsReceived = Atomic<Int>(0)

    init(tcp: TCPConnection, isClient: Bool, configuration: WebSocketConfiguration) {
        self.tcp = tcp
        self.isClient = isClient
        self.configuration = configuration
        decoder = WebSocketFrameDecoder(expectMasked: !isClient, maxFrameSize: configuration.maxFrameSize)
        lastReceived = tcp.loop.time
    }

    /// Starts delivering events; on the loop thread, before any byte is received.
    func begin(onEvent: @escaping EventHandler) {
        self.onEvent = onEvent
        scheduleKeepAlive(after: configuration.pingInterval)
    }

    // MARK: Sending (any thread)

    /// Sends a text message, its frame encoded straight into the outgoing buffer (through
    /// `EventLoop.perform` from other threads).
    public func send(text: String) {
        tcp.loop.perform { [self] in writeMessage(text) }
    }

    public func send(binary: [UInt8]) {
        tcp.loop.perform { [self] in binary.withUnsafeBytes { writeFrame(.binary, $0) } }
    }

    private func writeMessage(_ text: String) {
        var text = text
        text.withUTF8 { writeFrame(.text, UnsafeRawBufferPointer($0)) }
    }

    private func writeFrame(_ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer) {
        guard state == .open else { return }
        let masked = isClient
        tcp.write(count: WebSocketFrameEncoder.frameSize(payload: payload.count, masked: masked)) {
            WebSocketFrameEncoder.encode(opcode, payload, masked: masked, into: $0)
        }
    }

    /// Sends a ping with up to 125 bytes of payload.
    public func ping(_ payload: [UInt8] = []) {
        enqueue(WebSocketFrameEncoder.encode(.ping, Array(payload.prefix(125)), masked: isClient))
    }

    /// Starts the close handshake; the connection closes when the peer answers or after `closeTimeout`.
    public func close(code: UInt16 = WebSocketCloseCode.normal, reason: String = "") {
        onLoop { $0.startClose(code: code, reason: reason) }
    }

    private func enqueue(_ frame: [UInt8]) {
        onLoop { connection in
            guard connection.state == .open else { return }
            connection.tcp.write(frame)
        }
    }

    private func onLoop(_ body: @escaping @Sendable (WebSocketConnection) -> Void) {
        tcp.loop.perform { [self] in body(self) }
    }

    // MARK: Closing

    private func startClose(code: UInt16, reason: String) {
        guard state == .open else { return }
        state = .closeSent
        sentClose = (code, reason)
        tcp.write(WebSocketFrameEncoder.encode(.close, WebSocketFrameEncoder.closePayload(code: code, reason: reason), masked: isClient))
        closeTimer = tcp.loop.schedule(after: configuration.closeTimeout) { [self] in
            closeTimer = nil
            report(.closed(code: code, reason: reason))
            tcp.closeNow()
        }
    }

    /// Fails the connection: a close frame with the violation's code, then the TCP close.
    private func fail(_ violation: WebSocketViolation) {
        inputStopped = true
        if state == .open {
            tcp.write(WebSocketFrameEncoder.encode(.close, WebSocketFrameEncoder.closePayload(code: violation.code, reason: violation.reason),
                                                   masked: isClient))
        }
        state = .closed
        report(.closed(code: violation.code, reason: violation.reason))
        tcp.close()
    }

    private func report(_ event: WebSocketEvent) {
        guard let onEvent else { return }
        if case .closed = event {
            self.onEvent = nil
            if let keepAliveTimer { tcp.loop.cancelTimer(keepAliveTimer) }
            if let closeTimer { tcp.loop.cancelTimer(closeTimer) }
            keepAliveTimer = nil
            closeTimer = nil
        }
        onEvent(event)
    }

    // MARK: Keep-alive

    private func scheduleKeepAlive(after seconds: Double) {
        guard configuration.pingInterval > 0 else { return }
        keepAliveTimer = tcp.loop.schedule(after: max(seconds, 0.001)) { [self] in
            keepAliveTimer = nil
            keepAliveTick()
        }
    }

    private func keepAliveTick() {
        guard state == .open, onEvent != nil else { return }
        let now = SystemTime.monotonic()
        if let sent = pingSentAt {
            if lastReceived > sent {
                pingSentAt = nil
            } else if now - sent >= configuration.pongTimeout {
                inputStopped = true
                state = .closed
                report(.closed(code: WebSocketCloseCode.abnormal, reason: "no answer to a keep-alive ping within \(configuration.pongTimeout) s"))
                tcp.closeNow()
                return
            } else {
                return scheduleKeepAlive(after: sent + configuration.pongTimeout - now)
            }
        }
        let idle = now - lastReceived
        if idle >= configuration.pingInterval {
            pingSentAt = now
            tcp.write(WebSocketFrameEncoder.encode(.ping, [], masked: isClient))
            scheduleKeepAlive(after: configuration.pongTimeout)
        } else {
            scheduleKeepAlive(after: configuration.pingInterval - idle)
        }
    }

    // MARK: Control frames

    private func handleControl(_ opcode: WebSocketOpcode) -> WebSocketViolation? {
        switch opcode {
        case .ping:
            if state == .open { tcp.write(WebSocketFrameEncoder.encode(.pong, control, masked: isClient)) }
        case .pong:
            pingSentAt = nil
            pongsReceived.add(1, ordering: .relaxed)
        case .close:
            return handleClose()
        default:
            break
        }
        return nil
    }

    private func handleClose() -> WebSocketViolation? {
        var code = WebSocketCloseCode.noStatus
        var reason = ""
        if control.count == 1 { return WebSocketViolation(WebSocketCloseCode.protocolError, "close frame with a 1-byte payload") }
        if control.count >= 2 {
            code = UInt16(control[0]) << 8 | UInt16(control[1])
            guard WebSocketCloseCode.isValidOnTheWire(code) else {
                return WebSocketViolation(WebSocketCloseCode.protocolError, "invalid close code \(code)")
            }
            var check = UTF8Validator()
            let valid = control[2...].withUnsafeBytes { check.feed($0) } && check.isComplete
            guard valid else { return WebSocketViolation(WebSocketCloseCode.invalidPayload, "close reason is not valid UTF-8") }
            reason = String(decoding: control[2...], as: UTF8.self)
        }
        inputStopped = true
        if state == .open {
            let echo = code == WebSocketCloseCode.noStatus ? WebSocketCloseCode.normal : code
            tcp.write(WebSocketFrameEncoder.encode(.close, WebSocketFrameEncoder.closePayload(code: echo, reason: ""), masked: isClient))
        }
        state = .closed
        // When we started the handshake the application hears its own code (the peer only echoes it).
        report(.closed(code: sentClose?.code ?? code, reason: sentClose?.reason ?? reason))
        tcp.close()
        return nil
    }
}

extension WebSocketConnection: ConnectionHandler {
    public func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection) {
        guard !inputStopped else { return }
        lastReceived = tcp.loop.time
        var sink = self
        let violation = decoder.feed(bytes, into: &sink)
        if let violation, !inputStopped { fail(violation) }
    }

    public func inputEnded(_ connection: TCPConnection) {
        inputStopped = true
        state = .closed
        report(.closed(code: WebSocketCloseCode.abnormal, reason: "the peer closed the connection without a close frame"))
        connection.close()
    }

    public func closed(_ connection: TCPConnection) {
        inputStopped = true
        state = .closed
        report(.closed(code: WebSocketCloseCode.abnormal, reason: "connection lost"))
    }
}

extension WebSocketConnection: WebSocketFrameSink {
    func frameBegan(_ header: WebSocketFrameHeader) -> WebSocketViolation? {
        // After the close handshake nothing more is read (the violation only stops the decoder).
        if inputStopped { return WebSocketViolation(WebSocketCloseCode.normal, "input ended") }
        frame = header
        switch header.opcode {
        case .continuation:
            guard messageOpcode != nil else { return WebSocketViolation(WebSocketCloseCode.protocolError, "continuation frame without a message to continue") }
        case .text, .binary:
            guard messageOpcode == nil else { return WebSocketViolation(WebSocketCloseCode.protocolError, "new message before the fragmented one ended") }
            messageOpcode = header.opcode
            message = []
            whole = nil
            validator.reset()
        default:
            control = []
            return nil
        }
        if message.count + header.length > configuration.maxMessageSize {
            return WebSocketViolation(WebSocketCloseCode.tooBig, "message over the limit of \(configuration.maxMessageSize) bytes")
        }
        return nil
    }

    func framePayload(_ bytes: UnsafeRawBufferPointer, offset: Int) -> WebSocketViolation? {
        guard let frame else { return nil }
        if frame.opcode.isControl {
            let start = control.count
            control.append(contentsOf: bytes)
            control.withUnsafeMutableBytes { all in
                let tail = UnsafeMutableRawBufferPointer(rebasing: all[start...])
                WebSocketFrameDecoder.unmaskOrCopy(UnsafeRawBufferPointer(tail), into: tail, key: frame.maskKey, offset: offset)
            }
            return nil
        }
        if frame.fin, frame.opcode != .continuation, offset == 0, bytes.count == frame.length {
            return takeWhole(bytes, frame)
        }
        if message.isEmpty { message.reserveCapacity(frame.length) }
        let start = message.count
        message.append(contentsOf: bytes)
        let text = messageOpcode == .text
        let valid = message.withUnsafeMutableBytes { all -> Bool in
            let tail = UnsafeMutableRawBufferPointer(rebasing: all[start...])
            let ascii = WebSocketFrameDecoder.unmaskOrCopy(UnsafeRawBufferPointer(tail), into: tail, key: frame.maskKey, offset: offset)
            // ASCII between whole characters leaves the validator where it is.
            return !text || (ascii && validator.isComplete) || validator.feed(UnsafeRawBufferPointer(tail))
        }
        if !valid { return WebSocketViolation(WebSocketCloseCode.invalidPayload, "text message is not valid UTF-8") }
        return nil
    }

    /// An unfragmented message whose payload arrived in one read: unmasked straight into the
    /// String or array handed to the application (one copy, no buffer kept).
    private func takeWhole(_ bytes: UnsafeRawBufferPointer, _ frame: WebSocketFrameHeader) -> WebSocketViolation? {
        let count = bytes.count
        if frame.opcode == .binary {
            whole = .binary([UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                WebSocketFrameDecoder.unmaskOrCopy(bytes, into: UnsafeMutableRawBufferPointer(buffer), key: frame.maskKey, offset: 0)
                initialized = count
            })
            return nil
        }
        var violation: WebSocketViolation?
        let text = String(unsafeUninitializedCapacity: count) { buffer in
            let out = UnsafeMutableRawBufferPointer(buffer)
            if WebSocketFrameDecoder.unmaskOrCopy(bytes, into: out, key: frame.maskKey, offset: 0) { return count }
            var check = UTF8Validator()
            if !check.feed(UnsafeRawBufferPointer(out)) {
                violation = WebSocketViolation(WebSocketCloseCode.invalidPayload, "text message is not valid UTF-8")
                return 0
            }
            if !check.isComplete {
                violation = WebSocketViolation(WebSocketCloseCode.invalidPayload, "text message ends inside a UTF-8 sequence")
                return 0
            }
            return count
        }
        if violation == nil { whole = .text(text) }
        return violation
    }

    func frameEnded() -> WebSocketViolation? {
        guard let header = frame else { return nil }
        frame = nil
        if header.opcode.isControl { return handleControl(header.opcode) }
        guard header.fin, let opcode = messageOpcode else { return nil }
        messageOpcode = nil
        let ready = whole
        whole = nil
        defer { message = [] }
        if state != .open { return nil }
        if let ready {
            report(ready)
        } else if opcode == .text {
            guard validator.isComplete else { return WebSocketViolation(WebSocketCloseCode.invalidPayload, "text message ends inside a UTF-8 sequence") }
            report(.text(String(decoding: message, as: UTF8.self)))
        } else {
            report(.binary(message))
        }
        return nil
    }
}
