import Transport

/// Everything `circles serve` and the launcher configure on a node.
public struct NodeOptions: Sendable {
    /// One circle served by this node.
    public struct Circle: Sendable {
        /// Compressed public key (hex): the path `/{pk}` and the queue name.
        public var publicKey: String
        public var name: String
        public var policy: CirclePolicy
        /// Webhook secrets by provider (`stripe`, `idenfy`).
        public var webhookSecrets: [String: String]
        /// The script run for a verified webhook event, by provider.
        public var webhookScripts: [String: String]
        /// Callers must sign the bound form of SPEC 3.1 (launcher config `"require_bound_auth": true`).
        public var requireBoundAuth = false

        public init(publicKey: String, name: String? = nil, policy: CirclePolicy = CirclePolicy(),
                    webhookSecrets: [String: String] = [:], webhookScripts: [String: String] = [:]) {
            self.publicKey = publicKey
            self.name = name ?? publicKey
            self.policy = policy
            self.webhookSecrets = webhookSecrets
            self.webhookScripts = webhookScripts
        }
    }

    public var host = "127.0.0.1"
    public var port = 8080
    public var circles: [Circle] = []
    /// Whether `play` needs a prior `authenticate` (on by default; turning it off is for local experiments).
    public var authRequired = true
    /// Every circle of the node accepts only the bound form of SPEC 3.1 (`--require-bound-auth`).
    public var requireBoundAuth = false
    /// Scripts go through this Redis; nil runs an embedded queue with in-process workers.
    public var redisURL: String?
    /// Signs the tasks this node queues in Redis, and lets its workers verify theirs (SPEC section 5).
    public var taskSecret: TaskSecret?
    /// Redis mode without a secret: queue unsigned tasks, and let this node's workers run unsigned ones.
    public var acceptUnsignedTasks = false
    /// Redis mode: tasks name no `reply_to` and results are read from `rhailib:reply:{task_id}`, so
    /// original rhailib workers can answer them (`--rhailib-compat`).
    public var rhailibCompat = false
    /// What a `rediss://` or `rediss+sentinel://` server's certificate is checked against (nil: the
    /// system's CA store; `--redis-tls-ca`).
    public var redisTLS: TLSClientContext?
    /// Redis mode: this node's workers `WAIT` for this many replicas after each commit (0: no wait).
    public var redisWaitReplicas = 0
    /// Whether this node also runs workers when it uses Redis.
    public var runWorkers = true
    public var dataDirectory = "./data"
    public var nonceTTL = 300.0
    /// Live nonces the node holds at most (split between its event loops); more get "the nonce store is full".
    public var nonceCapacity = NonceTable.defaultCapacity
    public var playTimeout = 30.0
    public var maxInFlightPerSession = 16
    /// Plays one authenticated caller may have in flight over all its sessions (0: no cap). Plays
    /// of unauthenticated sessions are bounded per session only.
    public var maxInFlightPerCaller = 4
    public var maxConnections = 10_000
    public var maxConnectionsPerIP = 1_000
    /// Tasks the in-process workers run at once, each on its own thread.
    public var workerConcurrency = 8
    /// Seconds a session may go without a frame from its peer before it is closed (1000); 0: never.
    public var idleTimeout = 900.0
    /// How long a graceful stop waits for in-flight plays.
    public var shutdownDeadline = 10.0
    /// Serve HTTPS and `wss://` with this certificate and key.
    public var tls: TLSServerContext?
    /// Webhook bodies over this many bytes get 413.
    public var webhookBodyLimit = 1 << 20
    /// Seconds a Stripe signature's timestamp may be away from now.
    public var webhookTolerance = 300.0
    /// Seconds an iDenfy delivery (which signs its body only) is remembered: the same body again within
    /// this window is refused as a replay.
    public var webhookReplayWindow = 3600.0
    /// WebSocket limits; messages over 1 MiB close the connection with 1009 (SPEC section 12).
    public var webSocket = WebSocketConfiguration(maxMessageSize: 1 << 20)
    /// Frames a session may have waiting before the connection is closed with 1008.
    public var sessionMailbox = 256
    /// Browser origins (`https://app.example`) admitted besides the node's own; others get 403.
    public var allowedOrigins: [String] = []
    /// The names (`node.example`, or `node.example:8443` for that port only) this node answers to
    /// (`--public-host`): requests with another `Host` get 421 and bound signatures must name one of them.
    /// Empty: a loopback bind checks its loopback names, any other bind checks nothing (with a warning).
    public var publicHosts: [String] = []
    /// Extra routes (the signing service), installed after the node's own and before the WebSocket route.
    public var routes: [@Sendable (inout HTTPRouter) -> Void] = []

    public init() {}
}
