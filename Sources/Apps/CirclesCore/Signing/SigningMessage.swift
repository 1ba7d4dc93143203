import Codecs
/// The JSON messages on the signing service's WebSocket (seed 004, SPEC section 10). Binary values are
/// standard base64.
///
/// - client → server: `introduction {public_key}` (hex or base64), then `sign_response {request_id,
///   message, signature}` for each request (the first request is the server's challenge);
/// - server → client: `sign_request {request_id, message}`, `registered {public_key}` once the challenge
///   was answered with a valid signature (an addition to the seed, so that a signer knows it is
///   reachable), and `error {code, message, request_id?}` (see `SigningProtocolError`).
public enum SigningMessage: Sendable, Equatable {
    case introduction(publicKey: String)
    case signRequest(requestId: String, message: [UInt8])
    /// `message` is the request's message echoed back; optional on the wire.
    case signResponse(requestId: String, message: [UInt8]?, signature: [UInt8])
    /// `publicKey` is the lowercase hex of the registered key.
    case registered(publicKey: String)
    case error(SigningProtocolError)

    /// The `type` of each message.
    public var type: String {
        switch self {
        case .introduction: "introduction"
        case .signRequest: "sign_request"
        case .signResponse: "sign_response"
        case .registered: "registered"
        case .error: "error"
        }
    }

    public var json: JSON {
        var object: JSONObject = ["type": .string(type)]
        switch self {
        case .introduction(let publicKey):
            object["public_key"] = .string(publicKey)
        case .signRequest(let requestId, let message):
            object["request_id"] = .string(requestId)
            object["message"] = .string(Base64.encode(message))
        case .signResponse(let requestId, let message, let signature):
            object["request_id"] = .string(requestId)
            if let message { object["message"] = .string(Base64.encode(message)) }
            object["signature"] = .string(Base64.encode(signature))
        case .registered(let publicKey):
            object["public_key"] = .string(publicKey)
        case .error(let error):
            object["code"] = .string(error.code)
            object["message"] = .string(error.message)
            if let requestId = error.requestId { object["request_id"] = .string(requestId) }
        }
        return .object(object)
    }

    /// The compact JSON text to send.
    public var text: String { json.serialized }

    /// Parses one text frame. A failure is the error message to answer with; it carries the request id
    /// when one could be read.
    public static func parse(_ text: String) -> Result<SigningMessage, SigningProtocolError> {
        let json: JSON
        do {
            json = try JSONParser.parse(text)
        } catch {
            return .failure(SigningProtocolError(code: SigningProtocolError.invalidJSON, message: "not JSON: \(error)"))
        }
        guard let object = json.objectValue else {
            return .failure(SigningProtocolError(code: SigningProtocolError.invalidMessage, message: "a message is a JSON object"))
        }
        guard let type = object["type"]?.stringValue else {
            return .failure(SigningProtocolError(code: SigningProtocolError.invalidMessage, message: "a message needs a string \"type\""))
        }
        let requestId = object["request_id"]?.stringValue
        func invalid(_ message: String) -> Result<SigningMessage, SigningProtocolError> {
            .failure(SigningProtocolError(code: SigningProtocolError.invalidMessage, message: message, requestId: requestId))
        }
        func string(_ field: String) -> String? { object[field]?.stringValue }
        switch type {
        case "introduction":
            guard let key = string("public_key") else { return invalid("introduction needs a string \"public_key\"") }
            return .success(.introduction(publicKey: key))
        case "sign_request":
            guard let requestId else { return invalid("sign_request needs a string \"request_id\"") }
            guard let message = string("message").flatMap(Base64.decode) else { return invalid("sign_request needs a base64 \"message\"") }
            return .success(.signRequest(requestId: requestId, message: message))
        case "sign_response":
            guard let requestId else { return invalid("sign_response needs a string \"request_id\"") }
            guard let encoded = string("signature") else { return invalid("sign_response needs a base64 \"signature\"") }
            guard let signature = Base64.decode(encoded) else { return invalid("the signature is not base64") }
            var message: [UInt8]?
            if let field = object["message"], !field.isNull {
                guard let decoded = field.stringValue.flatMap(Base64.decode) else { return invalid("the message is not base64") }
                message = decoded
            }
            return .success(.signResponse(requestId: requestId, message: message, signature: signature))
        case "registered":
            guard let key = string("public_key") else { return invalid("registered needs a string \"public_key\"") }
            return .success(.registered(publicKey: key))
        case "error":
            guard let code = string("code") else { return invalid("error needs a string \"code\"") }
            return .success(.error(SigningProtocolError(code: code, message: string("message") ?? "", requestId: requestId)))
        default:
            return .failure(SigningProtocolError(code: SigningProtocolError.unknownType,
                                                 message: "unknown message type \"\(type.prefix(64))\" (expected introduction or sign_response)",
                                                 requestId: requestId))
        }
    }
}
