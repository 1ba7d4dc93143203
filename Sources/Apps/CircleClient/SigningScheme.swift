/// How the client signs the node's nonce (SPEC section 3.1).
public enum SigningScheme: Sendable, Equatable {
    /// 64-byte compact ECDSA over SHA-256 of the nonce, with the compressed public key (the default).
    case compact
    /// The Ethereum personal-sign form with the uncompressed public key, as the original circles
    /// clients sign: for talking to original circles servers.
    case ethereum
}
