import COpenSSL

/// Why TLS could not be set up or ended a connection.
public enum TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A certificate, key or CA could not be loaded, or the key does not belong to the certificate.
    case invalidConfiguration(String)
    /// The peer's certificate is not trusted (unknown issuer, expired, not the pinned certificate...).
    case untrustedCertificate(String)
    /// The peer's certificate is trusted but does not name the host we connected to.
    case hostnameMismatch(host: String)
    /// The handshake failed: a malformed message, no common version or cipher, a fatal alert.
    case handshakeFailed(String)
    /// The peer sent plain HTTP to a TLS port.
    case plainHTTP
    /// The connection ended before the handshake finished.
    case closedDuringHandshake
    /// The handshake did not finish in time.
    case handshakeTimedOut
    /// A TLS error after the handshake (a corrupt record, an unexpected message).
    case protocolError(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let detail): "invalid TLS configuration: \(detail)"
        case .untrustedCertificate(let detail): "the peer's certificate is not trusted: \(detail)"
        case .hostnameMismatch(let host): "the peer's certificate is not valid for \(host)"
        case .handshakeFailed(let detail): "TLS handshake failed: \(detail)"
        case .plainHTTP: "plain HTTP sent to a TLS port"
        case .closedDuringHandshake: "the connection closed during the TLS handshake"
        case .handshakeTimedOut: "the TLS handshake timed out"
        case .protocolError(let detail): "TLS error: \(detail)"
        }
    }

    /// Empties this thread's OpenSSL error queue and describes what it held (the first reason, which
    /// is the root cause), or `fallback` when it was empty.
    static func drainQueue(or fallback: String) -> String {
        var first: String?
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if first == nil {
                if let reason = ERR_reason_error_string(code) {
                    first = String(cString: reason)
                } else {
                    var buffer = [CChar](repeating: 0, count: 256)
                    ERR_error_string_n(code, &buffer, buffer.count)
                    first = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                }
            }
        }
        return first ?? fallback
    }
}
