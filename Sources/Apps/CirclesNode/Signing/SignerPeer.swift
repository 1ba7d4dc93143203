import CirclesCore
import Transport

/// One `/sign` connection as the registry sees it.
struct SignerPeer {
    enum State {
        /// Connected; no `introduction` yet.
        case awaitingIntroduction
        /// Introduced as `key`; the challenge `requestId` asks it to sign `challenge`.
        case challenged(key: SignerKey, requestId: String, challenge: [UInt8])
        /// Answered the challenge: requests for `key` come here.
        case registered(SignerKey)
    }

    let socket: WebSocketConnection
    /// The `Host` of the upgrade request: the host a registration signature must name.
    let host: String?
    var state = State.awaitingIntroduction
    /// Ids of `sendToSign` requests sent on this connection and not answered yet.
    var requests: Set<String> = []
    /// Closes the connection when it has not registered in time.
    var handshakeTimer: Task<Void, Never>?

    init(socket: WebSocketConnection, host: String?) {
        self.socket = socket
        self.host = host
    }

    var registeredKey: SignerKey? {
        if case .registered(let key) = state { return key }
        return nil
    }
}
