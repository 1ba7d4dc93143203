import COpenSSL
import Codecs

/// A Lua script sent by its SHA-1 (`EVALSHA`), so its text crosses the wire only when the server's
/// script cache lacks it (after a restart or `SCRIPT FLUSH`): `RedisClient.run` then falls back to `EVAL`.
public struct RedisScript: Sendable {
    public let source: String
    /// Lowercase hex SHA-1 of `source`, as Redis names cached scripts.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        let bytes = Array(source.utf8)
        var digest = [UInt8](repeating: 0, count: 20)
        _ = bytes.withUnsafeBufferPointer { SHA1($0.baseAddress, $0.count, &digest) }
        sha1 = Hex.encode(digest)
    }

    /// `EVALSHA` with `keys` and `arguments`, for a pipeline; see `isMissing` for its reply.
    public func evalSHA(keys: [String], arguments: [String]) -> [String] {
        ["EVALSHA", sha1, String(keys.count)] + keys + arguments
    }

    /// `EVAL` with the full text, which also loads the script into the server's cache.
    public func eval(keys: [String], arguments: [String]) -> [String] {
        ["EVAL", source, String(keys.count)] + keys + arguments
    }

    /// True when `reply` says the server does not have the script cached.
    public static func isMissing(_ reply: RedisValue) -> Bool {
        if case .error(let message) = reply { return message.hasPrefix("NOSCRIPT") }
        return false
    }

    static func isMissing(_ error: RedisError) -> Bool {
        if case .server(let message) = error { return message.hasPrefix("NOSCRIPT") }
        return false
    }
}
