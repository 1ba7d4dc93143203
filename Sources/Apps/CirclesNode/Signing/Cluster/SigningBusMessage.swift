import Codecs
import CirclesCore

/// What nodes of one signing cluster tell each other through their Redis inboxes
/// (`rhailib:signing:{node}`): a request for a signer registered on the receiving node, its answer,
/// and the notice that a newer registration of a key elsewhere replaced the receiver's.
///
/// On the wire: the HMAC-SHA256 (hex) of the JSON under the task secret, a newline, the JSON
/// (without a secret: an empty first line). A node with a secret drops messages whose MAC fails,
/// so write access to Redis alone neither asks a signer for anything nor displaces one.
enum SigningBusMessage: Sendable, Equatable {
    case request(id: String, key: SignerKey, message: [UInt8], timeout: Double, replyTo: String)
    case answer(id: String, outcome: Result<[UInt8], SigningError>)
    case evict(key: SignerKey)

    /// Largest message a node reads from its inbox; larger ones are dropped.
    static let maxBytes = 4 << 20

    private static let domain = Array("circles-signing-bus:v1\n".utf8)

    func encoded(secret: TaskSecret?) -> String {
        let object: JSONObject
        switch self {
        case .request(let id, let key, let message, let timeout, let replyTo):
            object = ["type": .string("request"), "id": .string(id), "key": .string(key.description),
                      "message": .string(Base64.encode(message)), "timeout": .double(timeout), "reply_to": .string(replyTo)]
        case .answer(let id, .success(let signature)):
            object = ["type": .string("answer"), "id": .string(id), "signature": .string(Base64.encode(signature))]
        case .answer(let id, .failure(let error)):
            object = ["type": .string("answer"), "id": .string(id), "error": .string(error.code)]
        case .evict(let key):
            object = ["type": .string("evict"), "key": .string(key.description)]
        }
        let body = JSON.object(object).serialized
        return Self.mac(body, secret: secret) + "\n" + body
    }

    /// The message in `text`, or nil when it is malformed, too large, or its MAC does not verify.
    static func decode(_ text: String, secret: TaskSecret?) -> SigningBusMessage? {
        guard text.utf8.count <= maxBytes, let newline = text.firstIndex(of: "\n") else { return nil }
        let body = String(text[text.index(after: newline)...])
        if let secret {
            guard let given = Hex.decode(String(text[..<newline])),
                  ConstantTime.equals(given, HMAC.sha256(key: secret.bytes, message: domain + Array(body.utf8))) else { return nil }
        }
        guard let json = try? JSONParser.parse(body, maxDepth: 4), let type = json["type"]?.stringValue else { return nil }
        switch type {
        case "request":
            guard let id = json["id"]?.stringValue, let key = json["key"]?.stringValue.flatMap({ try? SignerKey(text: $0) }),
                  let message = json["message"]?.stringValue.flatMap(Base64.decode),
                  let timeout = json["timeout"]?.doubleValue, timeout.isFinite,
                  let replyTo = json["reply_to"]?.stringValue, replyTo.hasPrefix(SigningCluster.inboxPrefix) else { return nil }
            return .request(id: id, key: key, message: message, timeout: min(max(timeout, 0.001), 3600), replyTo: replyTo)
        case "answer":
            guard let id = json["id"]?.stringValue else { return nil }
            if let signature = json["signature"]?.stringValue.flatMap(Base64.decode) { return .answer(id: id, outcome: .success(signature)) }
            guard let code = json["error"]?.stringValue else { return nil }
            let error = SigningError.all.first { $0.code == code } ?? .channelClosed
            return .answer(id: id, outcome: .failure(error))
        case "evict":
            guard let key = json["key"]?.stringValue.flatMap({ try? SignerKey(text: $0) }) else { return nil }
            return .evict(key: key)
        default:
            return nil
        }
    }

    private static func mac(_ body: String, secret: TaskSecret?) -> String {
        guard let secret else { return "" }
        return Hex.encode(HMAC.sha256(key: secret.bytes, message: domain + Array(body.utf8)))
    }
}
