import TestSupport
@testable import CirclesNode
import Transport

/// A real redis-server, a client and a started gateway, to queue tasks for workers (in-process or
/// `circles worker` processes); `stop()` ends the gateway and the server.
final class GatewayRig: Sendable {
    let redis: RedisServer
    let client: RedisClient
    let gateway: RedisTaskQueue

    init() async throws {
        redis = try await onDedicatedThread { try RedisServer() }
        client = try RedisClient(redis.url, connections: 2)
        gateway = RedisTaskQueue(client: client, secret: TestTaskSecret.secret)
        gateway.start()
    }

    func stop() {
        gateway.stop()
        redis.stop()
    }
}
