extension RedisConnection {
    /// The blocking form of `RedisClient.run`: `script` by its SHA-1, its text only when the server
    /// lacks it. For dedicated threads; see `pipelineBlocking`.
    public func runBlocking(_ script: RedisScript, keys: [String], arguments: [String]) throws(RedisError) -> RedisValue {
        do {
            return try sendBlocking(script.evalSHA(keys: keys, arguments: arguments))
        } catch where RedisScript.isMissing(error) {
            return try sendBlocking(script.eval(keys: keys, arguments: arguments))
        }
    }
}
