import TestSupport
import CirclesNode
import Transport

/// A real redis-server, a client and a started gateway, to queue tasks for workers (in-process or
/// `circles worker` processes); `stop()` ends the gateway and the server.
package final class GatewayRig: Sendable {
    package let redis: RedisServer
    package let client: RedisClient
    package let gateway: RedisTaskQueue

    package init() async throws {
        redis = try await onDedicatedThread { try RedisServer() }
        client = try RedisClient(redis.url, connections: 2)
        gateway = RedisTaskQueue(client: client, secret: TestTaskSecret.secret)
        gateway.start()
    }

    package func stop() {
        gateway.stop()
        redis.stop()
    }
}
