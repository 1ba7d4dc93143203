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
