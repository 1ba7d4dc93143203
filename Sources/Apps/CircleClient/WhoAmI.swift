/// The node's view of this connection (`whoami`).
public struct WhoAmI: Sendable, Equatable {
    /// The circle the URL path selected (compressed public key hex).
    public var circle: String
    /// The authenticated caller, nil before authentication.
    public var pubkey: String?
    public var authenticated: Bool

    public init(circle: String, pubkey: String?, authenticated: Bool) {
        self.circle = circle
        self.pubkey = pubkey
        self.authenticated = authenticated
    }
}
