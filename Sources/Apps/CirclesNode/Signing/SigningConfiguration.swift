import Transport

/// Settings of a `SigningService` (SPEC section 10).
package struct SigningConfiguration: Sendable {
    /// Seconds `sendToSign` waits for the signer's answer unless told otherwise.
    package var requestTimeout = 60.0
    /// Requests one signer may have waiting for its answers; more fail at once with `.signerBusy`,
    /// so a slow or silent signer cannot make the service hold an unbounded number of callers.
    package var maxPendingPerSigner = 256
    /// Seconds a new connection has to introduce itself and answer the challenge; it is closed after that.
    package var handshakeTimeout = 30.0
    /// Random bytes in a challenge.
    package var challengeBytes = 32
    /// Largest `POST /api/sign` body (413 above).
    package var maxRequestBodyBytes = 1 << 20
    /// Frame and message limits and keep-alive of the `/sign` connections.
    package var webSocket = WebSocketConfiguration()
    /// The WebSocket path.
    package var path = "/sign"
    /// The HTTP path of the API for other programs.
    package var apiPath = "/api/sign"

    /// With a cluster (`SigningService.join`): seconds a node's registration of a key outlives the node
    /// in the Redis directory; the node refreshes it every third of that.
    package var clusterTTL = 10.0

    package init() {}
}
