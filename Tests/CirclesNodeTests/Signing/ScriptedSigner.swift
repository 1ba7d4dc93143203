import CircleClient
import CirclesCore
import Synchronization
import TestSupport
import Transport

/// A signer for tests that misbehaves on demand: `policy` decides, on the loop thread, how to answer the
/// n-th `sign_request` (n = 0 is the challenge). Everything received is kept for assertions. `.sign`
/// answers as a correct signer does: in the registration domain until `registered`, then in the
/// signing domain.
final class ScriptedSigner: Sendable {
    enum Answer: Sendable {
        /// Signs correctly with this key.
        case sign(SignerPrivateKey)
        /// Signs exactly the request's bytes, in no domain (a signer from before domain separation).
        case signRaw(SignerPrivateKey)
        /// Answers with these signature bytes.
        case signature([UInt8])
        /// Does not answer (the test may `respond` later).
        case nothing
        /// Drops the TCP connection without a close frame.
        case hangUp
    }

    typealias Policy = @Sendable (_ index: Int, _ requestId: String, _ message: [UInt8]) -> Answer

    let socket: WebSocketConnection
    /// The host the service's registration domain names (as the URL gives it).
    let host: String
    private let log = Mutex<(messages: [SigningMessage], texts: [String], closed: (code: UInt16, reason: String)?)>(([], [], nil))

    private init(socket: WebSocketConnection, host: String) {
        self.socket = socket
        self.host = host
    }

    /// Connects to `url`; when `introduceAs` is given, sends that `introduction` right away.
    static func connect(_ url: String, introduceAs publicKey: String? = nil, policy: @escaping Policy) async throws -> ScriptedSigner {
        let box = Box()
        let socket = try await WebSocketClient.connect(to: url) { event in box.signer.withLock { $0 }?.handle(event, policy: policy) }
        let parsed = WebSocketURL(url)!
        let signer = ScriptedSigner(socket: socket, host: SignatureDomain.hostHeader(host: parsed.host, port: parsed.port, secure: parsed.secure))
        box.signer.withLock { $0 = signer }
        if let publicKey { signer.send(SigningMessage.introduction(publicKey: publicKey).text) }
        return signer
    }

    /// Signs the challenge with `key` and everything after with `later`.
    static func connect(_ url: String, key: SignerPrivateKey, then later: @escaping Policy) async throws -> ScriptedSigner {
        try await connect(url, introduceAs: key.publicKey.description) { index, requestId, message in
            index == 0 ? .sign(key) : later(index, requestId, message)
        }
    }

    func send(_ text: String) { socket.send(text: text) }

    func respond(_ requestId: String, message: [UInt8]?, signature: [UInt8]) {
        send(SigningMessage.signResponse(requestId: requestId, message: message, signature: signature).text)
    }

    var messages: [SigningMessage] { log.withLock { $0.messages } }
    var closed: (code: UInt16, reason: String)? { log.withLock { $0.closed } }

    /// The `sign_request`s received so far, in order.
    var requests: [(id: String, message: [UInt8])] {
        messages.compactMap { if case .signRequest(let id, let message) = $0 { (id, message) } else { nil } }
    }

    var errors: [SigningProtocolError] {
        messages.compactMap { if case .error(let error) = $0 { error } else { nil } }
    }

    var isRegistered: Bool {
        messages.contains { if case .registered = $0 { true } else { false } }
    }

    func waitForErrors(_ count: Int) async throws -> [SigningProtocolError] {
        try await Wait.until(timeout: 60, "\(count) error messages") { errors.count >= count }
        return errors
    }

    func waitForRequests(_ count: Int) async throws -> [(id: String, message: [UInt8])] {
        try await Wait.until(timeout: 60, "\(count) sign requests") { requests.count >= count }
        return requests
    }

    func waitUntilClosed() async throws -> (code: UInt16, reason: String) {
        try await Wait.until(timeout: 60, "the connection to close") { closed != nil }
        return closed!
    }

    private func handle(_ event: WebSocketEvent, policy: Policy) {
        switch event {
        case .text(let text):
            let parsed = try? SigningMessage.parse(text).get()
            let index: Int? = log.withLock { log in
                log.texts.append(text)
                guard let parsed else { return nil }
                log.messages.append(parsed)
                if case .signRequest = parsed { return log.messages.filter { if case .signRequest = $0 { true } else { false } }.count - 1 }
                return nil
            }
            guard let index, case .signRequest(let requestId, let message) = parsed else { return }
            switch policy(index, requestId, message) {
            case .sign(let key):
                respond(requestId, message: message, signature: isRegistered ? key.signRequest(message) : key.signChallenge(message, host: host))
            case .signRaw(let key): respond(requestId, message: message, signature: key.sign(message))
            case .signature(let bytes): respond(requestId, message: message, signature: bytes)
            case .nothing: break
            case .hangUp: socket.tcp.close()
            }
        case .binary:
            break
        case .closed(let code, let reason):
            log.withLock { $0.closed = (code, reason) }
        }
    }

    /// The service says nothing before the introduction, so no event arrives before the signer is set.
    private final class Box: Sendable {
        let signer = Mutex<ScriptedSigner?>(nil)
    }
}
