import Transport

/// Launcher options that apply to every circle (the command line's, beside the config file's entries).
public struct LauncherSettings: Sendable {
    /// Scripts go through this Redis; nil runs an embedded queue with in-process workers per node.
    public var redisURL: String?
    /// Nodes' and worker processes' `WAIT` for this many Redis replicas after each commit (0: none).
    public var redisWaitReplicas = 0
    /// PEM certificate authorities trusted for `rediss://` (`--redis-tls-ca`; nil: the system's CA store),
    /// for the nodes and the worker processes.
    public var redisTLSCAFile: String?
    /// With a Redis URL, whether the launcher runs workers too.
    public var runWorkers = true
    /// Tasks each node's workers (or each worker process) run at once, each on its own thread.
    public var workerConcurrency = 8
    /// Whether `play` needs `authenticate` (on by default for the launcher).
    public var authRequired = true
    /// Every circle accepts only the bound authentication form of SPEC 3.1 (`--require-bound-auth`).
    public var requireBoundAuth = false
    /// Base of the circles' data namespaces; nil: `data` next to the config file.
    public var dataDirectory: String?
    public var shutdownDeadline = 10.0
    public var playTimeout = 30.0
    /// Plays one authenticated caller may have in flight on a node, over all its sessions (0: no cap).
    public var maxInFlightPerCaller = 4
    /// Every node serves the signing service (`/sign`, `POST /api/sign`); this token lets non-loopback
    /// callers use the API.
    public var signApiToken: String?

    /// With a Redis URL: run this many `circles worker` processes (supervised, restarted when they die)
    /// instead of workers inside the nodes.
    public var workerProcesses = 0
    /// The `circles` executable for worker processes; nil: this process's own executable.
    public var workerExecutable: String?
    /// Policy flags (`--owner`, `--player`, `--grant`) for worker processes of circles given by key.
    public var workerPolicyArguments: [String] = []
    /// The config file, handed to worker processes so they apply its allow-lists and limits.
    public var configPath: String?
    /// Signs the tasks queued in Redis; with a Redis URL and none given, the launcher makes one for itself
    /// and its worker processes (unless `acceptUnsignedTasks`).
    public var taskSecret: TaskSecret?
    /// The file `taskSecret` came from: worker processes read it there.
    public var taskSecretFile: String?
    public var acceptUnsignedTasks = false
    /// Browser origins admitted besides each node's own.
    public var allowedOrigins: [String] = []
    /// Names every node answers to (`--public-host`), besides its entries' `public_hosts`.
    public var publicHosts: [String] = []
    /// Every node writes its tasks for original rhailib workers (`--rhailib-compat`), besides the nodes
    /// of entries that say `"rhailib_compat": true`.
    public var rhailibCompat = false
    /// Every node serves `wss://` and `https://` with this certificate.
    public var tls: TLSServerContext?
    /// Variables added to the environment of worker processes (the launcher's own log settings).
    public var workerEnvironment: [String: String] = [:]

    public init() {}
}
