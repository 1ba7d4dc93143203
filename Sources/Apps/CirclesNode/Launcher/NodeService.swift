import Logging
import Supervision

/// One launched node as a child of the launcher's tree. Its first run also runs each circle's start
/// script once in that circle's context and logs the result.
final class NodeService: Service {
    struct StartScript: Sendable {
        var name: String
        var circle: String
        var script: String
    }

    private let node: CircleNode
    private let startScripts: [StartScript]
    private let logger: Logger
    /// Joins the signing cluster on the node's Redis while the node runs.
    private let signing: SigningService?

    init(node: CircleNode, startScripts: [StartScript], signing: SigningService? = nil, logger: Logger) {
        self.node = node
        self.signing = signing
        self.startScripts = startScripts
        self.logger = logger
    }

    func run() async throws {
        let (node, scripts, logger) = (self.node, startScripts, self.logger)
        let starting = Task {
            for entry in scripts {
                do throws(QueueError) {
                    let result = try await node.submit(entry.script, circle: entry.circle, caller: entry.circle)
                    for line in result.logs { logger.info("circle \(entry.name): \(line)", metadata: ["circle": "\(entry.circle)"]) }
                    switch result.outcome {
                    case .success(let output): logger.info("circle \(entry.name): start script returned \(output.isEmpty ? "()" : output)", metadata: ["circle": "\(entry.circle)"])
                    case .failure(let failure): logger.error("circle \(entry.name): start script failed: \(failure)", metadata: ["circle": "\(entry.circle)"])
                    }
                } catch {
                    logger.error("circle \(entry.name): start script not run: \(error)", metadata: ["circle": "\(entry.circle)"])
                }
            }
        }
        defer { starting.cancel() }
        if let signing, let redis = node.redis { await signing.join(redis: redis, secret: node.options.taskSecret) }
        try await node.run()
        await signing?.leave()
    }

    func shutdown() async { node.stop() }
}
