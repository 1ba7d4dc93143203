import Codecs
import CirclesCore

/// The gateway's HMAC-SHA256 over a task's fields (SPEC section 5), kept in the task hash as
/// `signature` (hex): a worker runs a task only when it verifies under the shared `TaskSecret`, so
/// write access to Redis alone runs nothing, as nobody, anywhere.
package enum TaskSignature {
    /// The hash fields signed, in order; a missing field signs as empty.
    package static let fields = ["id", "script", "caller_id", "context_id", "timeout", "reply_to", "created_at", "constants"]
    /// The hash field holding the signature.
    package static let field = "signature"

    /// The signed bytes: a domain tag, then each field as `name=LENGTH:value\n` (lengths make every
    /// split of the bytes into fields unambiguous).
    static func message(_ values: [String: String]) -> [UInt8] {
        var out = Array("circles-task:v1\n".utf8)
        for name in fields {
            let value = Array((values[name] ?? "").utf8)
            out += Array("\(name)=\(value.count):".utf8) + value + [0x0A]
        }
        return out
    }

    /// The hex signature of `values` (by field name) under `secret`.
    package static func sign(_ values: [String: String], secret: TaskSecret) -> String {
        Hex.encode(HMAC.sha256(key: secret.bytes, message: message(values)))
    }

    /// Whether `signature` is the signature of `values` under `secret` (constant time).
    package static func verify(_ signature: String, _ values: [String: String], secret: TaskSecret) -> Bool {
        guard signature.utf8.count == 64, let given = Hex.decode(signature) else { return false }
        return ConstantTime.equals(given, HMAC.sha256(key: secret.bytes, message: message(values)))
    }

    /// Whether a task may name `replyTo` as its reply list: one of a gateway's lists
    /// (`rhailib:replies:*`) or its own `rhailib:reply:{id}`.
    package static func isReplyList(_ replyTo: String, task id: String) -> Bool {
        (replyTo.hasPrefix("rhailib:replies:") && replyTo.count > "rhailib:replies:".count) || replyTo == RedisTaskKeys.reply(id)
    }

    /// Why a worker will not run the task read from Redis (nil: it may). Unsigned tasks (original
    /// rhailib clients) pass only with `acceptUnsigned`.
    package static func rejection(of values: [String: String], secret: TaskSecret?, acceptUnsigned: Bool) -> ScriptFailure? {
        let id = values["id"] ?? ""
        if let replyTo = values["reply_to"], !replyTo.isEmpty, !isReplyList(replyTo, task: id) {
            return ScriptFailure(kind: .denied, message: "task \(id) names reply list \(replyTo.prefix(80)), which is not a rhailib reply list")
        }
        let signature = values[field] ?? ""
        if signature.isEmpty {
            if acceptUnsigned { return nil }
            return ScriptFailure(kind: .denied, message: "task \(id) is not signed (this worker runs only tasks signed with its task secret; --accept-unsigned-tasks runs unsigned ones)")
        }
        guard let secret else {
            if acceptUnsigned { return nil }
            return ScriptFailure(kind: .denied, message: "task \(id) is signed but this worker has no task secret to verify it")
        }
        guard verify(signature, values, secret: secret) else {
            return ScriptFailure(kind: .denied, message: "task \(id)'s signature does not verify (not written by a gateway holding this worker's task secret)")
        }
        return nil
    }
}
