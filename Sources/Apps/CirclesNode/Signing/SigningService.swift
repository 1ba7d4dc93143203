import CirclesCore
import Logging
import Synchronization
import Transport

/// The signing service of seed 004 (SPEC section 10): signers connect to the WebSocket endpoint `/sign`,
/// introduce themselves with a public key and prove it by signing a random challenge; the node then
/// asks them to sign messages with `sendToSign`, which other programs reach as `POST /api/sign`.
///
/// Mount it with `install(into:apiToken:)`. Protocol messages are `SigningMessage`; what the server
/// answers to bad input is `SigningProtocolError`.
package final class SigningService: Sendable {
    package let configuration: SigningConfiguration
    let registry: SigningRegistry
    private let nextConnection = Atomic<UInt64>(0)
    private let cluster = Mutex<SigningCluster?>(nil)
    private let logger: Logger

    package init(configuration: SigningConfiguration = SigningConfiguration(), logger: Logger = Logger(label: "circles.signing")) {
        self.configuration = configuration
        self.logger = logger
        registry = SigningRegistry(configuration: configuration, logger: logger)
    }

    /// Adds the WebSocket endpoint (`configuration.path`, `/sign`) and `POST configuration.apiPath`
    /// (`/api/sign`) to `router`. The API admits loopback peers, and anyone presenting
    /// `Authorization: Bearer apiToken` when `apiToken` is set (nil or empty: loopback only).
    package func install(into router: inout HTTPRouter, apiToken: String?) {
        router.webSocket(configuration.path, configuration: configuration.webSocket) { [self] request, socket in
            accept(socket, host: request.header("Host"))
        }
        router.add("POST", configuration.apiPath, bodyLimit: configuration.maxRequestBodyBytes) { [self] request in
            await handleAPI(request, apiToken: apiToken)
        }
    }

    /// Asks the signer registered for `publicKey` to sign `message` and waits for its answer (at most
    /// `timeout` seconds, `configuration.requestTimeout` when nil). Returns the message and its signature
    /// once the signature verifies with `publicKey`. Many calls may wait on one signer at once.
    ///
    /// The signature is over `SignatureDomain.signRequest(message)` (`circles-sign:v1\n` + message),
    /// never over the bare message: what this service obtains can never pass as an authentication
    /// signature or a registration answer (SPEC 10).
    package func sendToSign(publicKey: SignerKey, message: [UInt8], timeout: Double? = nil) async throws(SigningError) -> SignedMessage {
        let timeout = timeout ?? configuration.requestTimeout
        var outcome = await registry.request(key: publicKey, message: message, timeout: timeout)
        if case .failure(.connectionNotFound) = outcome, let cluster = cluster.withLock({ $0 }) {
            outcome = await cluster.forward(key: publicKey, message: message, timeout: timeout)
        }
        let signature = try outcome.get()
        guard publicKey.verify(signature: signature, message: SignatureDomain.signRequest(message)) else { throw .invalidSignature }
        return SignedMessage(message: message, signature: signature, publicKey: publicKey)
    }

    /// Joins the nodes sharing `redis` (SPEC 10 across nodes): signers registered here answer requests
    /// made on the others and the reverse; a newer registration of a key on any node replaces the older
    /// one wherever it is. Messages between nodes carry an HMAC under `secret` when there is one.
    /// Returns this node's id in the cluster.
    @discardableResult
    package func join(redis: RedisClient, secret: TaskSecret?) async -> String {
        let joined = SigningCluster(redis: redis, secret: secret, registry: registry, ttl: configuration.clusterTTL,
                                    nodeId: RandomHex.make(words: 2), logger: logger)
        let previous = cluster.withLock { current in
            defer { current = joined }
            return current
        }
        await previous?.stop()
        await registry.attach(joined.changes)
        await joined.start()
        for key in await registry.registeredKeys() { joined.changes.yield(.claim(key)) }
        return joined.nodeId
    }

    /// Leaves the cluster: this node's registrations leave the directory, forwarded requests still
    /// waiting fail with `.channelClosed`.
    package func leave() async {
        guard let left = cluster.withLock({ current in defer { current = nil }; return current }) else { return }
        await registry.attach(nil)
        await left.stop()
    }

    func newConnectionId() -> UInt64 {
        nextConnection.add(1, ordering: .relaxed).newValue
    }
}
