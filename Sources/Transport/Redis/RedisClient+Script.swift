extension RedisClient {
    /// Runs `script` by its SHA-1, sending the text only when the server does not have it cached.
    public func run(_ script: RedisScript, keys: [String], arguments: [String]) async throws(RedisError) -> RedisValue {
        do {
            return try await send(script.evalSHA(keys: keys, arguments: arguments))
        } catch where RedisScript.isMissing(error) {
            return try await send(script.eval(keys: keys, arguments: arguments))
        }
    }
}

extension RedisClient {
    /// Runs `script` once per call, all in one pipeline by SHA-1; the calls the server had no cached
    /// script for are sent again with its text. Replies in the order of `calls`.
    public func run(_ script: RedisScript, calls: [(keys: [String], arguments: [String])]) async throws(RedisError) -> [RedisValue] {
        var replies = try await pipeline(calls.map { script.evalSHA(keys: $0.keys, arguments: $0.arguments) })
        let missing = replies.indices.filter { RedisScript.isMissing(replies[$0]) }
        guard !missing.isEmpty else { return replies }
        let resent = try await pipeline(missing.map { script.eval(keys: calls[$0].keys, arguments: calls[$0].arguments) })
        for (index, reply) in zip(missing, resent) { replies[index] = reply }
        return replies
    }
}
