import Codecs
import CirclesCore
import Transport

extension CircleClient {
    /// fetch_nonce, sign, authenticate, all on `link` (the node binds the nonce to the connection).
    func authenticate(_ key: CallerPrivateKey, on link: Link) async throws(CircleClientError) {
        let claimed = claimedKey(key)
        let nonce = try await fetchNonce(claimed, on: link)
        guard SignatureDomain.isNonce(nonce.value) else {
            throw .invalidResponse("fetch_nonce answered \"\(nonce.value.prefix(80))\", not a nonce of 64 lowercase hex characters: not signed")
        }
        let message = configuration.legacyAuthentication ? Array(nonce.value.utf8) : boundMessage(nonce: nonce.value)
        let signature = switch key {
        case .secp256k1(let secret):
            switch configuration.signingScheme {
            case .compact: Hex.encode(secret.signCompact(message))
            case .ethereum: "0x" + Hex.encode(secret.signEthereum(message))
            }
        case .ed25519(let secret): Hex.encode(secret.sign(message))
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

    /// SPEC 3.1's bound message for this client's URL: its host as the `Host` header names it, and the
    /// circle of its path (normalised to the compressed key when it is one).
    func boundMessage(nonce: String) -> [UInt8] {
        SignatureDomain.authentication(host: boundHost, circle: boundCircle, nonce: nonce)
    }

    /// The host a bound signature names: lowercase, `:port` unless the scheme's default.
    var boundHost: String {
        guard let url = WebSocketURL(configuration.url) else { return "" }
        return SignatureDomain.hostHeader(host: url.host, port: url.port, secure: url.secure)
    }

    /// The circle of the URL's path (its last segment).
    var boundCircle: String {
        guard let url = WebSocketURL(configuration.url) else { return "" }
        let path = url.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let segment = String(path.split(separator: "/").last ?? "")
        return (try? PublicKey(hex: segment).hex) ?? segment
    }

    /// The public key as sent: for secp256k1 compressed in the default scheme and uncompressed in the
    /// Ethereum form (as the original clients send it); for Ed25519 its 32 bytes.
    func claimedKey(_ key: CallerPrivateKey) -> String {
        switch key {
        case .secp256k1(let secret):
            switch configuration.signingScheme {
            case .compact: secret.publicKey.hex
            case .ethereum: Hex.encode(secret.publicKey.uncompressed)
            }
        case .ed25519(let secret): secret.publicKey.hex
        }
    }
}
