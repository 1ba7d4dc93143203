import Actors
import CirclesCore
import Logging
import Supervision
import Synchronization
import Transport

/// A circle node (`circles serve`): WebSocket sessions for its circles, `/health` and `/metrics`, a task
/// queue (embedded, or Redis shared with workers anywhere) and in-process workers, all under one
/// supervisor tree. The port is bound by `init`, so a bad address fails at once.
public final class CircleNode: Sendable {
    public let options: NodeOptions
    package let metrics: NodeMetrics
    let runtime: NodeRuntime
    let root: Supervisor
    private let boundPort: Int

    public init(options: NodeOptions, group: EventLoopGroup = .shared, logger: Logger = Logger(label: "circles.node")) throws(NodeError) {
        guard !options.circles.isEmpty else { throw .noCircles }
        var circles: [String: NodeOptions.Circle] = [:]
        for var circle in options.circles {
            do {
                circle.publicKey = try PublicKey(hex: circle.publicKey).hex
            } catch {
                throw .invalidCircle(circle.publicKey, reason: "\(error)")
            }
            // A configured webhook runs the circle's own script: with its owner's rights (SPEC section 9).
            circle.policy.webhookProviders.formUnion(circle.webhookScripts.keys)
            circles[circle.publicKey] = circle
        }
        for name in options.publicHosts where !RequestAdmission.isHostValue(name) { throw .invalidPublicHost(name) }
        if options.publicHosts.isEmpty, !RequestAdmission.isLoopback(options.host.lowercased()) {
            logger.warning("listening on \(options.host), not loopback, without --public-host: the Host header is not checked, so a page that rebinds its name to this node or a relay that forwards its own Host is answered; give the node's public names with --public-host")
        }
        let system = ActorSystem(name: "circles-node")
        let (ttl, capacity) = (options.nonceTTL, options.nonceCapacity)
        // One nonce store per event loop, on that loop: a nonce is bound to its connection, so the
        // store of the connection's loop is the only one that ever sees it, and a session's ask costs
        // no thread switch. The global bound is split between them.
        let shares = group.loops.count
        let nonces = group.loops.enumerated().map { index, loop in
            system.prepare(shares == 1 ? "nonces" : "nonces-\(index)", executor: loop) {
                NonceStore(table: NonceTable(ttl: ttl, capacity: max(1, capacity / shares)))
            }
        }
        var redis: RedisClient?
        var embedded: EmbeddedTaskQueue?
        let queue: any TaskQueue
        if let url = options.redisURL {
            guard options.taskSecret != nil || options.acceptUnsignedTasks else { throw .taskSecretRequired }
            do {
                redis = try RedisClient(url, connections: 4, tls: options.redisTLS)
            } catch {
                throw .invalidRedisURL("\(error)")
            }
            queue = RedisTaskQueue(client: redis!, secret: options.taskSecret, rhailibCompat: options.rhailibCompat)
        } else {
            embedded = EmbeddedTaskQueue()
            queue = embedded!
        }
        var runner: ScriptRunner?
        if options.redisURL == nil || options.runWorkers {
            let policies = circles.mapValues(\.policy)
            runner = ScriptRunner(dataDirectory: options.dataDirectory, circles: Set(circles.keys)) { policies[$0] ?? CirclePolicy() }
        }
        let metrics = NodeMetrics()
        let runtime = NodeRuntime(options: options, circles: circles, metrics: metrics, logger: logger, system: system, group: group,
                                  live: LiveSessions(), queue: queue, embedded: embedded, redis: redis, runner: runner, nonces: nonces,
                                  sessions: ValueCell(), server: ValueCell(), root: ValueCell(),
                                  callers: options.maxInFlightPerCaller > 0 ? CallerShares(limit: options.maxInFlightPerCaller) : nil)
        let server: HTTPServer
        do {
            server = try runtime.makeServer()
        } catch {
            throw .bind(host: options.host, port: options.port, reason: "\(error)")
        }
        runtime.server.set(server)
        root = Supervisor("node", strategy: .oneForOne, intensity: RestartIntensity(maxRestarts: 5, period: 10),
                          children: runtime.children(), onRestart: { child, failure in
                              logger.notice("restarting \(child)", metadata: ["child": "\(child)", "failure": "\(failure)"])
                          })
        runtime.root.set(root)
        runtime.registerGauges()
        self.options = options
        self.metrics = metrics
        self.runtime = runtime
        boundPort = server.port
    }

    /// The bound port (the real one when configured with 0).
    public var port: Int { boundPort }

    /// Serves until `stop()` or one of `signals`; then stops accepting, lets in-flight plays finish
    /// within the shutdown deadline, closes sessions with 1001 and returns. Throws when the supervisor
    /// tree gives up. `onWatching` runs once `signals` are watched (announce the node there).
    public func run(signals: [Int32] = [], onWatching: () -> Void = {}) async throws(NodeError) {
        // The Redis gateway was stopped with the queue child; the embedded queue outlives its maintenance.
        defer { runtime.embedded?.close() }
        try await root.runAsProcessRoot(signals: signals, logger: runtime.logger, onSignal: "stopping gracefully", onWatching: onWatching)
    }

    /// Runs `script` in `circle`'s context as `caller` through this node's queue (the launcher's start
    /// scripts; plays arrive through sessions).
    package func submit(_ script: String, circle: String, caller: String) async throws(QueueError) -> TaskResult {
        let task = ScriptTask(circle: circle, caller: caller, script: script, createdAt: EmbeddedTaskQueue.wallClock())
        return try await runtime.queue.submit(task, timeout: options.playTimeout)
    }

    /// Starts a graceful stop; `run` returns when it is done.
    public func stop() { root.stop() }

    /// The supervisor tree.
    public func snapshot() -> SupervisorSnapshot { root.snapshot() }

    /// The served circles' public keys in their normalised form (the WebSocket paths).
    public var circleKeys: [String] { runtime.circles.keys.sorted() }

    /// The node's Redis pool (nil with the embedded queue), for services that share it, such as the
    /// signing cluster.
    package var redis: RedisClient? { runtime.redis }

    /// Open WebSocket sessions.
    package var sessionCount: Int { runtime.live.count }

    /// Where clients reach the node, for the URLs it announces: its first public name, with the node's
    /// port unless the name has its own; nil without public names.
    public var publicAuthority: String? {
        guard let name = runtime.options.publicHosts.first?.lowercased() else { return nil }
        return RequestAdmission.split(name).port == nil ? "\(name):\(port)" : name
    }
}
