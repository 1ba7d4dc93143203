import CircleClient
import CirclesCore
import CirclesNode
import Foundation
import Transport

/// Where a client bench sends its load: a node at a URL, or a node this process starts on 127.0.0.1
/// with an ephemeral port (authentication on, embedded queue, in-process workers).
struct BenchTarget: Sendable {
    let url: String
    /// Every circle's URL: connections are spread over them in turn.
    let urls: [String]
    let key: PrivateKey?
    let tls: TLSClientContext?
    let description: String
    private let node: CircleNode?
    private let running: Task<Void, any Error>?
    private let dataDirectory: String?

    /// A node at `url`; connections authenticate when there is a key.
    init(url: String, key: PrivateKey?, tls: TLSClientContext? = nil) {
        self.url = url
        urls = [url]
        self.key = key
        self.tls = tls
        description = "node at \(url)"
        node = nil
        running = nil
        dataDirectory = nil
    }

    /// Starts a node in this process (it shares the process's threads with the load).
    init(inProcessWith workers: Int, maxInFlight: Int, redisURL: String? = nil, circles: Int = 1, modules: [String: String] = [:]) throws {
        let keys = (0..<max(1, circles)).map { _ in PrivateKey().publicKey.hex }
        let circle = keys[0]
        let caller = PrivateKey()
        // The bench's caller owns the circles, so data plays measure the data path, not a refusal.
        var policy = CirclePolicy()
        policy.owners = [caller.publicKey.hex]
        policy.modules = modules
        var options = NodeOptions()
        options.port = 0
        options.circles = keys.enumerated().map { NodeOptions.Circle(publicKey: $0.element, name: "bench-\($0.offset)", policy: policy) }
        options.authRequired = true
        options.workerConcurrency = workers
        options.redisURL = redisURL
        options.taskSecret = redisURL == nil ? nil : TaskSecret.generate()  // the node's own workers share it
        options.maxInFlightPerSession = max(maxInFlight, options.maxInFlightPerSession)
        // The bench's connections all authenticate with one key.
        options.maxInFlightPerCaller = 0
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("circles-bench-\(getpid())").path
        options.dataDirectory = directory
        dataDirectory = directory
        let node = try CircleNode(options: options)
        self.node = node
        running = Task { try await node.run() }
        url = "ws://127.0.0.1:\(node.port)/\(circle)"
        urls = keys.map { "ws://127.0.0.1:\(node.port)/\($0)" }
        key = caller
        tls = nil
        description = "in-process node on 127.0.0.1:\(node.port) (\(keys.count) circle(s), \(workers) worker threads, \(redisURL.map { "queue in Redis at \($0)" } ?? "embedded queue"))"
    }

    /// Opens `count` connections concurrently, each authenticated when there is a key.
    func connect(_ count: Int, timeout: Double) async throws -> [CircleClient] {
        try await withThrowingTaskGroup(of: CircleClient.self) { group in
            for index in 0..<count {
                let url = urls[index % urls.count]
                group.addTask {
                    var builder = CircleClient.Builder(url: url).timeout(timeout)
                    if let key { builder = builder.keyPair(key) }
                    if let tls { builder = builder.tls(tls) }
                    let client = try builder.build()
                    try await client.connect()
                    if key != nil { try await client.authenticate() }
                    return client
                }
            }
            var clients: [CircleClient] = []
            for try await client in group { clients.append(client) }
            return clients
        }
    }

    /// Stops the in-process node, if any, waits for it and removes its data.
    func stop() async {
        guard let node, let running else { return }
        node.stop()
        _ = try? await running.value
        if let dataDirectory { try? FileManager.default.removeItem(atPath: dataDirectory) }
    }
}
