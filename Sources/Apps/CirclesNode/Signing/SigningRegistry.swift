import CirclesCore
import Logging
import Transport

/// The signing service's state, as an actor: the `/sign` connections, the key each verified connection
/// is registered under, and the requests waiting for an answer. Each connection's events arrive in
/// order (one pump task per connection), so its handshake runs step by step.
actor SigningRegistry {
    /// Close code for a connection replaced by a newer verified one for the same key.
    static let replacedCloseCode: UInt16 = 4000

    private let configuration: SigningConfiguration
    private let logger: Logger
    private var peers: [UInt64: SignerPeer] = [:]
    private var registered: [SignerKey: UInt64] = [:]
    private var pending: [String: PendingSignRequest] = [:]
    /// Where registrations and their ends go when the service is part of a cluster.
    private var directory: AsyncStream<SigningCluster.Change>.Continuation?
    /// Answers dropped because their request id was not one of the connection's requests.
    private(set) var ignoredResponses = 0

    init(configuration: SigningConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    func attach(_ directory: AsyncStream<SigningCluster.Change>.Continuation?) {
        self.directory = directory
    }

    // MARK: Connection events

    func opened(_ id: UInt64, socket: WebSocketConnection, host: String?) {
        var peer = SignerPeer(socket: socket, host: host)
        let timeout = configuration.handshakeTimeout
        peer.handshakeTimer = Task {
            do { try await Task.sleep(for: .seconds(timeout)) } catch { return }
            self.handshakeExpired(id)
        }
        peers[id] = peer
    }

    func received(_ text: String, from id: UInt64) {
        guard peers[id] != nil else { return }
        switch SigningMessage.parse(text) {
        case .failure(let error):
            send(.error(error), to: id)
            // A malformed answer to a request fails that request now rather than at its timeout.
            if let requestId = error.requestId, (try? JSONParser.parse(text))?["type"]?.stringValue == "sign_response" {
                answered(requestId, message: nil, signature: [], from: id)
            }
        case .success(.introduction(let publicKey)):
            introduce(publicKey, on: id)
        case .success(.signResponse(let requestId, let message, let signature)):
            answered(requestId, message: message, signature: signature, from: id)
        case .success(let other):
            send(.error(SigningProtocolError(code: SigningProtocolError.invalidMessage,
                                             message: "\(other.type) is sent by the server, not by signers")), to: id)
        }
    }

    func receivedBinary(from id: UInt64) {
        guard peers[id] != nil else { return }
        send(.error(SigningProtocolError(code: SigningProtocolError.invalidMessage,
                                         message: "binary frames are not part of the protocol: send JSON text")), to: id)
    }

    func closed(_ id: UInt64) {
        retire(id, closing: nil)
    }

    private func handshakeExpired(_ id: UInt64) {
        guard let peer = peers[id], peer.registeredKey == nil else { return }
        send(.error(SigningProtocolError(code: SigningProtocolError.handshakeTimeout,
                                         message: "no valid answer to the challenge within \(configuration.handshakeTimeout) s")), to: id)
        retire(id, closing: (WebSocketCloseCode.policyViolation, "handshake timeout"))
    }

    // MARK: Handshake

    private func introduce(_ text: String, on id: UInt64) {
        guard case .awaitingIntroduction = peers[id]?.state else {
            send(.error(SigningProtocolError(code: SigningProtocolError.alreadyIntroduced,
                                             message: "this connection has already introduced itself")), to: id)
            return
        }
        let key: SignerKey
        do {
            key = try SignerKey(text: text)
        } catch {
            send(.error(SigningProtocolError(code: SigningProtocolError.invalidPublicKey, message: error.description)), to: id)
            return
        }
        let challenge = SecureRandom.bytes(configuration.challengeBytes)
        let requestId = RandomHex.make(words: 2)
        peers[id]?.state = .challenged(key: key, requestId: requestId, challenge: challenge)
        send(.signRequest(requestId: requestId, message: challenge), to: id)
    }

    private func register(_ key: SignerKey, connection id: UInt64) {
        peers[id]?.handshakeTimer?.cancel()
        peers[id]?.handshakeTimer = nil
        peers[id]?.state = .registered(key)
        if let older = registered[key], older != id {
            logger.info("signer \(key) reconnected: connection \(id) replaces \(older)", metadata: ["signer": "\(key)", "connection": "\(id)"])
            retire(older, closing: (Self.replacedCloseCode, "replaced by a newer connection for this key"))
        }
        registered[key] = id
        directory?.yield(.claim(key))
        send(.registered(publicKey: key.description), to: id)
    }

    // MARK: Answers

    private func answered(_ requestId: String, message: [UInt8]?, signature: [UInt8], from id: UInt64) {
        guard let peer = peers[id] else { return }
        if case .challenged(let key, let challengeId, let challenge) = peer.state, challengeId == requestId {
            if message == nil || message == challenge, Self.provesKey(key, signature: signature, challenge: challenge, host: peer.host) {
                register(key, connection: id)
            } else {
                let expected = "circles-register:v1, \(peer.host ?? "?"), the key, the challenge in hex"
                send(.error(SigningProtocolError(code: SigningProtocolError.challengeFailed,
                                                 message: "the challenge is not signed by \(key) in the registration domain (\(expected))",
                                                 requestId: requestId)), to: id)
                retire(id, closing: (WebSocketCloseCode.policyViolation, "challenge failed"))
            }
            return
        }
        guard let request = pending[requestId], request.connection == id else {
            ignoredResponses += 1
            logger.warning("signing: ignored an answer with unknown request id \"\(Self.printable(requestId))\" on connection \(id)",
                           metadata: ["connection": "\(id)"])
            return
        }
        if let message, message != request.message {
            finish(requestId, with: .failure(.invalidSignature))
        } else {
            finish(requestId, with: .success(signature))
        }
    }

    /// Whether `signature` is `key`'s over the registration message for `challenge` on this node
    /// (its `Host` as sent, or lowercased): a message in no other domain, so neither a signing-service
    /// answer nor an authentication signature can stand in for it.
    private static func provesKey(_ key: SignerKey, signature: [UInt8], challenge: [UInt8], host: String?) -> Bool {
        guard let host else { return false }
        return Set([host, host.lowercased()]).contains { candidate in
            key.verify(signature: signature, message: SignatureDomain.registration(host: candidate, key: key.description, challenge: challenge))
        }
    }

    // MARK: Requests

    /// Sends `message` to the connection registered for `key` and waits for its answer's signature
    /// (not yet verified), or why there is none.
    func request(key: SignerKey, message: [UInt8], timeout: Double) async -> Result<[UInt8], SigningError> {
        guard let id = registered[key], let peer = peers[id] else { return .failure(.connectionNotFound) }
        guard peer.requests.count < configuration.maxPendingPerSigner else { return .failure(.signerBusy) }
        let socket = peer.socket
        let requestId = RandomHex.make(words: 2)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard !Task.isCancelled else { return continuation.resume(returning: .failure(.cancelled)) }
                let timer = Task {
                    do { try await Task.sleep(for: .seconds(timeout)) } catch { return }
                    self.finish(requestId, with: .failure(.timeout))
                }
                pending[requestId] = PendingSignRequest(connection: id, message: message, continuation: continuation, timer: timer)
                peers[id]?.requests.insert(requestId)
                socket.send(text: SigningMessage.signRequest(requestId: requestId, message: message).text)
            }
        } onCancel: {
            Task { await self.finish(requestId, with: .failure(.cancelled)) }
        }
    }

    private func finish(_ requestId: String, with outcome: Result<[UInt8], SigningError>) {
        guard let request = pending.removeValue(forKey: requestId) else { return }
        request.timer?.cancel()
        peers[request.connection]?.requests.remove(requestId)
        request.continuation.resume(returning: outcome)
    }

    // MARK: Leaving

    /// Forgets a connection at once: unregisters it, fails its requests with `.channelClosed`, and closes
    /// the socket with `closing` (nil when it is closed already).
    private func retire(_ id: UInt64, closing: (code: UInt16, reason: String)?) {
        guard let peer = peers.removeValue(forKey: id) else { return }
        peer.handshakeTimer?.cancel()
        if let key = peer.registeredKey, registered[key] == id {
            registered[key] = nil
            directory?.yield(.release(key))
        }
        for requestId in peer.requests { finish(requestId, with: .failure(.channelClosed)) }
        if let closing { peer.socket.close(code: closing.code, reason: closing.reason) }
    }

    private func send(_ message: SigningMessage, to id: UInt64) {
        peers[id]?.socket.send(text: message.text)
    }

    /// At most 64 characters of a client-chosen string, control characters replaced, for the log.
    private static func printable(_ text: String) -> String {
        String(text.prefix(64).map { $0.isASCII && ($0.asciiValue! < 0x20 || $0.asciiValue! == 0x7F) ? "?" : $0 })
    }

    /// Closes the connection registered for `key` with 4000: a newer registration on another node replaced it.
    func evict(_ key: SignerKey) {
        guard let id = registered[key] else { return }
        logger.info("signer \(key) registered on another node: connection \(id) replaced")
        retire(id, closing: (Self.replacedCloseCode, "replaced by a newer connection for this key on another node"))
    }

    /// The keys registered on this node.
    func registeredKeys() -> [SignerKey] { Array(registered.keys) }

    // MARK: Inspection (tests)

    /// The connection registered for `key`.
    func connection(for key: SignerKey) -> UInt64? { registered[key] }

    var connectionCount: Int { peers.count }

    var pendingCount: Int { pending.count }
}
