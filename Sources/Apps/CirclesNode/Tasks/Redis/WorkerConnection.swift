import Transport

/// How a worker thread talks to Redis: a blocking socket for `redis://`, a loop connection it waits
/// on for `rediss://`. Blocking calls, for dedicated threads only.
protocol WorkerConnection: AnyObject, Sendable {
    var isAlive: Bool { get }
    /// Writes `commands` together and waits for their replies (error replies as values).
    func pipelineBlocking(_ commands: [[String]]) throws(RedisError) -> [RedisValue]
}

extension WorkerConnection {
    /// Runs one command; an error reply throws `.server`.
    func sendBlocking(_ arguments: [String]) throws(RedisError) -> RedisValue {
        let reply = try pipelineBlocking([arguments])[0]
        if case .error(let message) = reply { throw .server(message) }
        return reply
    }

    /// Runs `script` by its SHA-1, sending its text only when the server lacks it.
    func runBlocking(_ script: RedisScript, keys: [String], arguments: [String]) throws(RedisError) -> RedisValue {
        let reply = try pipelineBlocking([script.evalSHA(keys: keys, arguments: arguments)])[0]
        if RedisScript.isMissing(reply) { return try sendBlocking(script.eval(keys: keys, arguments: arguments)) }
        if case .error(let message) = reply { throw .server(message) }
        return reply
    }
}

extension RedisConnection: WorkerConnection {}

extension RedisBlockingConnection: WorkerConnection {
    func pipelineBlocking(_ commands: [[String]]) throws(RedisError) -> [RedisValue] { try pipeline(commands) }
}
