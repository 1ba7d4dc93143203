/// A nonce the node issued for one public key on this connection, to be signed and sent back once.
public struct IssuedNonce: Sendable, Equatable {
    public var value: String
    /// Unix seconds after which the node no longer accepts it.
    public var expiresAt: Int64

    public init(value: String, expiresAt: Int64) {
        self.value = value
        self.expiresAt = expiresAt
    }
}
