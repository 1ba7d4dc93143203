import Codecs
import CirclesCore
import Synchronization
import Transport

/// A reference signer for a node's signing service (SPEC section 10, seed 004): it connects to
/// `ws://host:port/sign`, introduces itself with its public key, answers the service's challenge (the
/// requests before `registered`) in the registration domain bound to the service's host, and every later
/// `sign_request` in the signing domain (`circles-sign:v1\n` + message: SPEC 10), reporting each
/// through `onEvent`. What it signs for requests can therefore never authenticate anyone or register
/// its key elsewhere.
///
///     let signer = CircleSigner(url: "ws://127.0.0.1:8080/sign", key: .ed25519(Ed25519PrivateKey()))
///     try await signer.connect()           // returns once the service has registered it
///     let (code, reason) = await signer.waitUntilClosed()
///
/// It signs whatever message the service asks (in the signing domain): run it only against a service
/// you trust with that key.
public final class CircleSigner: Sendable {
    public typealias Closure = (code: UInt16, reason: String)

    public let url: String
    public let key: SignerPrivateKey
    /// Introduce the key in base64 rather than hex.
    public let base64Introduction: Bool
    private let onEvent: @Sendable (SignerEvent) -> Void
    private let state = Mutex<State>(State())

    private struct State {
        var socket: WebSocketConnection?
        var session: Task<Closure, Never>?
        var timedOut = false
    }

    public init(url: String, key: SignerPrivateKey, base64Introduction: Bool = false,
                onEvent: @escaping @Sendable (SignerEvent) -> Void = { _ in }) {
        self.url = url
        self.key = key
        self.base64Introduction = base64Introduction
        self.onEvent = onEvent
    }

    /// Connects, introduces itself, signs the challenge and returns once the service has registered it;
    /// from then on it answers requests until the connection closes. Calling it again reconnects.
    public func connect(timeout: Double = 30) async throws(CircleSignerError) {
        let (events, feed) = AsyncStream<WebSocketEvent>.makeStream()
        let socket: WebSocketConnection
        do {
            socket = try await WebSocketClient.connect(to: url, timeout: timeout) { event in
                feed.yield(event)
                if case .closed = event { feed.finish() }
            }
        } catch {
            throw .connectFailed(error.description)
        }
        let key = self.key
        let onEvent = self.onEvent
        let host = WebSocketURL(url).map { SignatureDomain.hostHeader(host: $0.host, port: $0.port, secure: $0.secure) } ?? ""
        let publicKey = key.publicKey.bytes
        let introduction = SigningMessage.introduction(publicKey: base64Introduction ? Base64.encode(publicKey) : Hex.encode(publicKey))
        let watchdog = Task { [self] in
            do { try await Task.sleep(for: .seconds(timeout)) } catch { return }
            state.withLock { $0.timedOut = true }
            socket.close(code: WebSocketCloseCode.normal, reason: "not registered in time")
        }
        defer { watchdog.cancel() }
        let outcome = await withCheckedContinuation { (registration: CheckedContinuation<Result<Void, CircleSignerError>, Never>) in
            let session = Task { await Self.serve(events, socket: socket, key: key, host: host, onEvent: onEvent, registration: registration) }
            state.withLock { state in
                state.socket = socket
                state.session = session
                state.timedOut = false
            }
            socket.send(text: introduction.text)
        }
        if case .failure(let error) = outcome {
            throw state.withLock { $0.timedOut } ? .timedOut : error
        }
    }

    /// Waits until the connection closes; returns its close code and reason.
    public func waitUntilClosed() async -> Closure {
        guard let session = state.withLock({ $0.session }) else { return (WebSocketCloseCode.abnormal, "not connected") }
        return await session.value
    }

    /// Closes the connection (the service unregisters the signer at once).
    public func close() {
        state.withLock { $0.socket }?.close()
    }

    /// Answers the connection's messages in order until it closes.
    private static func serve(_ events: AsyncStream<WebSocketEvent>, socket: WebSocketConnection, key: SignerPrivateKey, host: String,
                              onEvent: @Sendable (SignerEvent) -> Void,
                              registration: CheckedContinuation<Result<Void, CircleSignerError>, Never>) async -> Closure {
        var registration: CheckedContinuation<Result<Void, CircleSignerError>, Never>? = registration
        var registered = false
        func settle(_ outcome: Result<Void, CircleSignerError>) {
            registration?.resume(returning: outcome)
            registration = nil
        }
        for await event in events {
            switch event {
            case .text(let text):
                switch SigningMessage.parse(text) {
                case .success(.signRequest(let requestId, let message)):
                    let signature = registered ? key.signRequest(message) : key.signChallenge(message, host: host)
                    socket.send(text: SigningMessage.signResponse(requestId: requestId, message: message, signature: signature).text)
                    onEvent(.signed(requestId: requestId, message: message, signature: signature))
                case .success(.registered(let publicKey)):
                    registered = true
                    settle(.success(()))
                    onEvent(.registered(publicKey: publicKey))
                case .success(.error(let error)):
                    if registration != nil { settle(.failure(.rejected(error))) }
                    onEvent(.serverError(error))
                default:
                    break  // nothing else is addressed to signers
                }
            case .binary:
                break
            case .closed(let code, let reason):
                settle(.failure(.closed(code: code, reason: reason)))
                return (code, reason)
            }
        }
        settle(.failure(.closed(code: WebSocketCloseCode.abnormal, reason: "connection lost")))
        return (WebSocketCloseCode.abnormal, "connection lost")
    }
}
