import CirclesCore

/// Who may call `POST /api/sign`: a request with the configured bearer token, and otherwise only a
/// loopback peer. A wrong token is refused even from loopback.
enum SigningAccess: Equatable {
    case allowed
    /// 401: credentials are missing or wrong, and a token would let the caller in.
    case unauthorized(String)
    /// 403: not loopback and no token is configured.
    case forbidden(String)

    static func decide(peerHost: String, authorization: String?, token: String?) -> SigningAccess {
        let token = token.flatMap { $0.isEmpty ? nil : $0 }
        if let token, let authorization {
            guard let presented = bearer(authorization),
                  ConstantTime.equals(SHA256.hash(Array(presented.utf8)), SHA256.hash(Array(token.utf8)))
            else { return .unauthorized("invalid bearer token") }
            return .allowed
        }
        if isLoopback(peerHost) { return .allowed }
        if token != nil { return .unauthorized("a bearer token is required") }
        return .forbidden("only loopback clients may call the signing API (no API token is configured)")
    }

    /// 127.0.0.0/8, ::1 and IPv4-mapped 127.0.0.0/8.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        return host.hasPrefix("127.") || host == "::1" || host.hasPrefix("::ffff:127.")
    }

    /// The credentials of `Authorization: Bearer TOKEN` (scheme case-insensitive).
    private static func bearer(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let credentials = parts[1].drop { $0 == " " }
        return credentials.isEmpty ? nil : String(credentials)
    }
}
