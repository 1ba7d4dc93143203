import Actors
import CirclesCore
import Logging
import Supervision
import Transport

/// The shared pieces of a running node that its routes and supervised children use.
struct NodeRuntime: Sendable {
    let options: NodeOptions
    let circles: [String: NodeOptions.Circle]
    let metrics: NodeMetrics
    let logger: Logger
    let system: ActorSystem
    let group: EventLoopGroup
    let live: LiveSessions
    let queue: any TaskQueue
    let embedded: EmbeddedTaskQueue?
    let redis: RedisClient?
    let runner: ScriptRunner?
    /// One nonce store per event loop of `group`, in the same order.
    let nonces: [ActorRef<NonceStore.Message>]
    /// The dynamic supervisor of this run's sessions.
    let sessions: ValueCell<Supervisor>
    /// The HTTP server of this run of the listener.
    let server: ValueCell<HTTPServer>
    /// The root supervisor, for `/health`.
    let root: ValueCell<Supervisor>
    /// Plays in flight per authenticated caller, across the node's sessions.
    let callers: CallerShares?

    /// The circle a path segment names: exact, or any valid form of its key.
    func circle(_ key: String) -> NodeOptions.Circle? {
        if let circle = circles[key] { return circle }
        guard let normalised = try? PublicKey(hex: key).hex else { return nil }
        return circles[normalised]
    }
}
