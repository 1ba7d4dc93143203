import CirclesCore
import Synchronization
import Transport

extension NodeRuntime {
    /// `GET /health/live`: 200 while the process runs and answers HTTP.
    func liveness() -> HTTPResponse {
        .json(200, JSON.object(["status": .string("ok")]).serialized)
    }

    /// `GET /health/ready`: 200 when the listener accepts and, with Redis, Redis answers; else 503.
    func readiness() async -> HTTPResponse {
        let accepting = server.current != nil
        let redisUp = await redisAnswers()
        var body: JSONObject = ["accepting": .bool(accepting)]
        if let redisUp { body["redis"] = .string(redisUp ? "ok" : "unreachable") }
        let ready = accepting && redisUp != false
        body["status"] = .string(ready ? "ready" : "not_ready")
        return .json(ready ? 200 : 503, JSON.object(body).serialized)
    }

    /// Whether Redis answers PING within a second; nil when this node uses no Redis. A Redis that
    /// accepts but never answers does not hold the probe: the answer is false after the second.
    func redisAnswers() async -> Bool? {
        guard let redis else { return nil }
        let answered = Mutex(false)
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let finish: @Sendable (Bool) -> Void = { value in
                let first = answered.withLock { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(returning: value) }
            }
            let timer = Task {
                try? await Task.sleep(for: .seconds(1))
                finish(false)
            }
            Task {
                finish((try? await redis.send(["PING"]))?.string == "PONG")
                timer.cancel()
            }
        }
    }

    /// The depth of every circle's queue, read from Redis in one pipeline; nil when Redis did not answer.
    func queueDepths() async -> [String: Int]? {
        let keys = circles.keys.sorted()
        guard let redis else {
            var depths: [String: Int] = [:]
            for key in keys { depths[key] = await queue.depth(of: key) }
            return depths
        }
        guard !keys.isEmpty else { return [:] }
        guard let replies = try? await redis.pipeline(keys.map { ["LLEN", RedisTaskKeys.queue($0)] }) else { return nil }
        var depths: [String: Int] = [:]
        for (key, reply) in zip(keys, replies) {
            guard let depth = reply.integer else { return nil }
            depths[key] = Int(depth)
        }
        return depths
    }
}
