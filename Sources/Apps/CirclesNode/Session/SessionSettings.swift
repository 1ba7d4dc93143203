import Logging

/// What every session of a node shares.
package struct SessionSettings: Sendable {
    /// The circle this connection's path selected (compressed pubkey hex).
    package var circle: String
    /// Whether `play` needs a prior `authenticate`.
    package var authRequired: Bool
    /// Seconds a `play` waits for its worker.
    package var playTimeout: Double
    /// `play` requests one session may have in flight.
    package var maxInFlight: Int
    /// How long the session waits for its nonce store to answer before the call fails (-32603).
    package var nonceTimeout: Duration = .seconds(5)
    /// The `Host` header of this connection's upgrade request: the host a bound signature must name.
    package var host: String?
    /// The node's public names (`--public-host`, lowercase): when any are given, a bound signature must
    /// name one of them, whatever `host` says.
    package var publicHosts: Set<String> = []
    /// Whether `authenticate` accepts only the bound form (SPEC 3.1), not the legacy bare nonce.
    package var requireBoundAuth = false
    /// The node-wide count of plays in flight per authenticated caller (nil: no per-caller cap).
    package var callers: CallerShares?
    /// Where the session logs authentications and plays (at debug), with its circle and session id as metadata.
    package var logger: Logger?

    package init(circle: String, authRequired: Bool = true, playTimeout: Double = 30, maxInFlight: Int = 16) {
        self.circle = circle
        self.authRequired = authRequired
        self.playTimeout = playTimeout
        self.maxInFlight = maxInFlight
    }
}
