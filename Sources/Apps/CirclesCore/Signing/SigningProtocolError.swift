/// The error message of the signing protocol (SPEC section 10), sent by the server on the `/sign` socket
/// when it cannot act on what a client sent:
///
///     {"type": "error", "code": "invalid_json", "message": "not JSON: unexpected character at byte 0"}
///     {"type": "error", "code": "invalid_message", "message": "signature is not base64", "request_id": "4f…"}
///
/// `code` is one of the constants below (stable, for programs), `message` explains it (for people), and
/// `request_id` is there when the offending message carried one. Only `challenge_failed` and
/// `handshake_timeout` are followed by a close (1008); after any other error the connection stays
/// usable, and other connections never notice.
public struct SigningProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not JSON.
    public static let invalidJSON = "invalid_json"
    /// JSON, but not an object with a string `type` and the fields its type needs (strings; base64 where
    /// binary), or a message only the other side sends, or a binary frame.
    public static let invalidMessage = "invalid_message"
    /// `type` is not a message type of the protocol.
    public static let unknownType = "unknown_type"
    /// The `introduction` key is not the hex or base64 of a secp256k1 (33 bytes) or Ed25519 (32 bytes) key.
    public static let invalidPublicKey = "invalid_public_key"
    /// A second `introduction` on a connection.
    public static let alreadyIntroduced = "already_introduced"
    /// The challenge's signature is not by the introduced key; the connection is closed.
    public static let challengeFailed = "challenge_failed"
    /// No valid answer to the challenge in time; the connection is closed.
    public static let handshakeTimeout = "handshake_timeout"

    public var code: String
    public var message: String
    public var requestId: String?

    public init(code: String, message: String, requestId: String? = nil) {
        self.code = code
        self.message = message
        self.requestId = requestId
    }

    public var description: String { "\(code): \(message)" }
}
