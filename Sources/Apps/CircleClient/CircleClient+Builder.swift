import CirclesCore
import Transport

extension CircleClient {
    /// Configures a client step by step:
    /// `try CircleClient.Builder(url: "wss://node.example:8443/02ab…").keyPair(key).timeout(10).reconnect().build()`.
    public struct Builder: Sendable {
        public private(set) var configuration: CircleClientConfiguration

        public init(url: String) {
            configuration = CircleClientConfiguration(url: url)
        }

        /// The identity `authenticate()` proves: a secp256k1 key.
        public func keyPair(_ key: PrivateKey) -> Builder { with { $0.callerKey = .secp256k1(key) } }

        /// The identity `authenticate()` proves: an Ed25519 key.
        public func keyPair(_ key: Ed25519PrivateKey) -> Builder { with { $0.callerKey = .ed25519(key) } }

        /// The identity `authenticate()` proves.
        public func keyPair(_ key: CallerPrivateKey) -> Builder { with { $0.callerKey = key } }

        /// Signs with a secp256k1 key in this scheme (`.ethereum`: the personal-sign form of wallets and
        /// original circles clients).
        public func signing(_ scheme: SigningScheme) -> Builder { with { $0.signingScheme = scheme } }

        /// Signs the bare nonce instead of the bound message (SPEC 3.1): for original circles servers only.
        public func legacyAuthentication() -> Builder { with { $0.legacyAuthentication = true } }

        /// Seconds a call waits for its answer.
        public func timeout(_ seconds: Double) -> Builder { with { $0.timeout = seconds } }

        /// Seconds to open a connection.
        public func connectTimeout(_ seconds: Double) -> Builder { with { $0.connectTimeout = seconds } }

        /// Reopens dropped connections (and authenticates again) with this policy.
        public func reconnect(_ policy: ReconnectPolicy = .default) -> Builder { with { $0.reconnect = policy } }

        /// The TLS trust for `wss://` URLs (default: the system's CA store, with the host name checked).
        public func tls(_ context: TLSClientContext) -> Builder { with { $0.tls = context } }

        /// WebSocket limits and keep-alive.
        public func webSocket(_ configuration: WebSocketConfiguration) -> Builder { with { $0.webSocket = configuration } }

        /// The event loops the connection runs on.
        public func eventLoopGroup(_ group: EventLoopGroup) -> Builder { with { $0.group = group } }

        /// Checks the URL and the timeouts and returns the (not yet connected) client.
        public func build() throws(CircleClientError) -> CircleClient {
            guard WebSocketURL(configuration.url) != nil else { throw .invalidURL(configuration.url) }
            guard configuration.timeout > 0, configuration.connectTimeout > 0 else {
                throw .invalidConfiguration("timeouts must be positive numbers of seconds")
            }
            return CircleClient(configuration: configuration)
        }

        private func with(_ change: (inout CircleClientConfiguration) -> Void) -> Builder {
            var copy = self
            change(&copy.configuration)
            return copy
        }
    }
}
