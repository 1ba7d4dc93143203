import CirclesCore

extension CircleClient {
    /// fetch_nonce, sign, authenticate, all on `link` (the node binds the nonce to the connection).
    func authenticate(_ key: PrivateKey, on link: Link) async throws(CircleClientError) {
        let claimed = claimedKey(key)
        let nonce = try await fetchNonce(claimed, on: link)
        let message = Array(nonce.value.utf8)
        let signature = switch configuration.signingScheme {
        case .compact: Hex.encode(key.signCompact(message))
        case .ethereum: "0x" + Hex.encode(key.signEthereum(message))
        }
        let result = try await call("authenticate", ["pubkey": .string(claimed), "signature": .string(signature)], on: link, timeout: nil)
        guard result["authenticated"]?.boolValue == true else { throw .invalidResponse("authenticate answered \(result.serialized)") }
    }

    func fetchNonce(_ pubkey: String, on link: Link?) async throws(CircleClientError) -> IssuedNonce {
        let result = try await call("fetch_nonce", ["pubkey": .string(pubkey)], on: link, timeout: nil)
        guard let value = result["nonce"]?.stringValue, let expiresAt = result["expires_at"]?.intValue else {
            throw .invalidResponse("fetch_nonce answered \(result.serialized)")
        }
        return IssuedNonce(value: value, expiresAt: expiresAt)
    }

    /// The public key as sent: compressed for the default scheme, uncompressed for the Ethereum form
    /// (as the original clients send it).
    func claimedKey(_ key: PrivateKey) -> String {
        switch configuration.signingScheme {
        case .compact: key.publicKey.hex
        case .ethereum: Hex.encode(key.publicKey.uncompressed)
        }
    }
}
