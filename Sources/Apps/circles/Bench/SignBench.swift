import ArgumentParser
import CircleClient
import CirclesCore
import CirclesNode
import Foundation
import Transport

/// `circles bench sign`: sign requests per second through the signing service, asked on the node the
/// signer is connected to and on another node that reaches it through Redis (SPEC 10 across nodes).
/// Both nodes run in this process, each with its own HTTP server and signing service; the signer is
/// the reference `CircleSigner` over a real WebSocket.
struct SignBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "sendToSign throughput on the signer's node and across nodes through Redis.",
        discussion: """
            redis-server --port 6390 --save '' --appendonly no &
            .build/release/circles bench sign --redis-url redis://127.0.0.1:6390
            """
    )

    @Option(help: "The Redis both nodes share (redis://, rediss:// or redis+sentinel://).") var redisUrl = "redis://127.0.0.1:6379"
    @Option(help: "Requests per case.") var requests = 5000
    @Option(help: "Concurrent callers.") var concurrency = 32

    func validate() throws {
        guard requests > 0, concurrency > 0 else { throw ValidationError("--requests and --concurrency must be positive") }
    }

    func run() async throws {
        let secret = TaskSecret.generate()
        var services: [SigningService] = []
        var servers: [HTTPServer] = []
        var clients: [RedisClient] = []
        for _ in 0..<2 {
            let service = SigningService()
            var router = HTTPRouter()
            service.install(into: &router, apiToken: nil)
            servers.append(try HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), router: router))
            let client = try RedisClient(redisUrl, connections: 4)
            await service.join(redis: client, secret: secret)
            services.append(service)
            clients.append(client)
        }
        let key = SignerPrivateKey.secp256k1(PrivateKey())
        let signer = CircleSigner(url: "ws://127.0.0.1:\(servers[0].port)/sign", key: key)
        try await signer.connect()
        // The registration reaches the directory asynchronously: wait until the other node finds it.
        let deadline = Date().addingTimeInterval(30)
        while (try? await services[1].sendToSign(publicKey: key.publicKey, message: [0])) == nil {
            guard Date() < deadline else { throw ValidationError("the second node never reached the signer") }
            try await Task.sleep(for: .milliseconds(50))
        }
        print("circles bench sign: \(requests) requests per case, \(concurrency) concurrent callers, Redis \(redisUrl)")
        for (name, service) in [("on the signer's node", services[0]), ("across nodes (Redis)", services[1])] {
            let (count, seconds) = try await measure(service, key: key.publicKey)
            print("  " + name.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "%10.0f signs/s  (%d in %.2f s)", Double(count) / seconds, count, seconds))
        }
        signer.close()
        for service in services { await service.leave() }
        for server in servers { server.stopAccepting() }
        for client in clients { client.close() }
    }

    private func measure(_ service: SigningService, key: SignerKey) async throws -> (Int, Double) {
        let share = max(1, requests / concurrency)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<concurrency {
                group.addTask {
                    for index in 0..<share { _ = try await service.sendToSign(publicKey: key, message: Array("\(caller)-\(index)".utf8)) }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (share * concurrency, seconds)
    }
}
