import Codecs
/// What a key signs, by purpose, so that a signature made for one purpose never passes for another
/// (SPEC sections 3.1 and 10). Every domain but the legacy nonce starts with its own
/// `circles-<purpose>:v1\n` prefix; the legacy message is exactly 64 hex characters, which no prefix is.
///
/// - authentication, bound form: `circles-auth:v1\n` host `\n` circle `\n` nonce;
/// - authentication, legacy form: the nonce itself (original clients);
/// - signing service requests (`sendToSign`, `POST /api/sign`): `circles-sign:v1\n` + the caller's bytes;
/// - signing service registration: `circles-register:v1\n` host `\n` signer key hex `\n` challenge hex.
public enum SignatureDomain {
    public static let authenticationPrefix = "circles-auth:v1\n"
    public static let signRequestPrefix = "circles-sign:v1\n"
    public static let registrationPrefix = "circles-register:v1\n"

    /// The bound authentication message: valid only for this node (`host` as in the client's URL and
    /// the node's `Host` header) and this circle.
    public static func authentication(host: String, circle: String, nonce: String) -> [UInt8] {
        Array((authenticationPrefix + host + "\n" + circle + "\n" + nonce).utf8)
    }

    /// What a signer signs for a signing-service request carrying `message`.
    public static func signRequest(_ message: [UInt8]) -> [UInt8] {
        Array(signRequestPrefix.utf8) + message
    }

    /// What a signer signs to prove `key` to the signing service at `host` with the random `challenge`.
    public static func registration(host: String, key: String, challenge: [UInt8]) -> [UInt8] {
        Array((registrationPrefix + host + "\n" + key + "\n" + Hex.encode(challenge)).utf8)
    }

    /// Whether `text` has the shape of a node's nonce: exactly 64 lowercase hex characters. Our
    /// clients sign nothing else.
    public static func isNonce(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The `Host` a client connecting to `host`:`port` sends (and binds its signature to): IPv6
    /// addresses in brackets, the port left out when it is the scheme's default, lowercase.
    public static func hostHeader(host: String, port: Int, secure: Bool) -> String {
        let name = host.contains(":") ? "[\(host)]" : host
        return (port == (secure ? 443 : 80) ? name : "\(name):\(port)").lowercased()
    }
}
