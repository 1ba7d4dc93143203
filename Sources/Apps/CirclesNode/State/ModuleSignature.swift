import Codecs
import CirclesCore

/// The operator's HMAC-SHA256 over a module kept in Redis, under the task secret (SPEC section 5): a
/// worker imports a module of the circle's Redis hash only when it verifies, so write access to Redis
/// alone can no more inject code into a play than it can run a task. Bound to the circle and the
/// name, so a signed module cannot be moved to another circle or name.
package enum ModuleSignature {
    /// The signed bytes: a domain tag, the circle, the name (neither holds a newline), the source.
    static func message(circle: String, name: String, source: String) -> [UInt8] {
        Array("circles-module:v1\n\(circle)\n\(name)\n".utf8) + Array(source.utf8)
    }

    /// The hex signature of module `name` of `circle` under `secret`.
    package static func sign(circle: String, name: String, source: String, secret: TaskSecret) -> String {
        Hex.encode(HMAC.sha256(key: secret.bytes, message: message(circle: circle, name: name, source: source)))
    }

    /// Why a worker will not import the module (nil: it may), as `TaskSignature.rejection` decides for
    /// tasks: unsigned modules pass only with `acceptUnsigned`.
    static func rejection(circle: String, name: String, source: String, signature: String?, secret: TaskSecret?,
                          acceptUnsigned: Bool) -> ScriptFailure? {
        let put = "put it with circles modules put and the task secret"
        guard let signature, !signature.isEmpty else {
            if acceptUnsigned { return nil }
            return ScriptFailure(kind: .denied, message: "module '\(name)' is not signed with the task secret (\(put))")
        }
        guard let secret else {
            if acceptUnsigned { return nil }
            return ScriptFailure(kind: .denied, message: "module '\(name)' is signed but this worker has no task secret to verify it")
        }
        guard signature.utf8.count == 64, let given = Hex.decode(signature),
              ConstantTime.equals(given, HMAC.sha256(key: secret.bytes, message: message(circle: circle, name: name, source: source)))
        else {
            return ScriptFailure(kind: .denied, message: "module '\(name)''s signature does not verify (\(put))")
        }
        return nil
    }
}
