#if canImport(Glibc)
import Glibc
#endif
import Actors
import CirclesCore
import Logging
import Supervision
import Synchronization
import Threads
import Transport

/// `circles launch`: the circles of a config, one node per distinct port (circles sharing a port are
/// routed by path), each with its workers, data namespace and start script, all under one supervisor
/// tree. `init` checks everything and binds every port, so a bad config starts nothing.
public final class Launcher: Sendable {
    /// Where each circle listens, in config order.
    public let circles: [LaunchedCircle]
    private let root: Supervisor
    private let logger: Logger
    /// The running node of each port (replaced when the node is restarted).
    let nodes: [Int: ValueCell<CircleNode>]
    /// A task secret the launcher made and wrote for its worker processes (removed when it stops).
    private let secretFile: String?

    public init(config: LauncherConfig, settings: LauncherSettings = LauncherSettings(), file: String = "circles.json",
                logger: Logger = Logger(label: "circles.launcher")) throws(ConfigError) {
        if settings.workerProcesses > 0, settings.redisURL == nil {
            throw ConfigError(file: file, "worker processes need a Redis URL (they take tasks from its queues)")
        }
        var settings = settings
        var secretFile: String?
        var redisTLS: TLSClientContext?
        if let path = settings.redisTLSCAFile {
            do {
                redisTLS = try TLSClientContext(trust: .certificateAuthorityFile(path))
            } catch {
                throw ConfigError(file: file, "--redis-tls-ca \(path): \(error)")
            }
        }
        if settings.redisURL != nil, settings.taskSecret == nil, !settings.acceptUnsignedTasks {
            settings.taskSecret = TaskSecret.generate()
        }
        if settings.workerProcesses > 0, let secret = settings.taskSecret, settings.taskSecretFile == nil {
            // Handed to the worker processes in a file only this user reads, never on their command line.
            var template = Array("/tmp/circles-launch-XXXXXX".utf8CString)
            guard let directory = mkdtemp(&template) else { throw ConfigError(file: file, "cannot make a directory for the task secret") }
            let path = String(cString: directory) + "/task-secret"
            do {
                try secret.write(toFile: path)
            } catch {
                throw ConfigError(file: file, error.description)
            }
            secretFile = path
            settings.taskSecretFile = path
        }
        var resolved: [(index: Int, entry: CircleEntry, circle: NodeOptions.Circle, start: String?)] = []
        for (index, entry) in config.circles.enumerated() {
            func fail(_ field: String, _ problem: String) -> ConfigError {
                ConfigError(file: file, entry: ConfigError.entry(at: index, name: entry.name), field: field, problem)
            }
            let (publicKey, policy) = try Self.identity(of: entry, directory: config.directory, fail: fail)
            var circle = NodeOptions.Circle(publicKey: publicKey, name: entry.name, policy: policy)
            circle.requireBoundAuth = entry.requireBoundAuth
            for (provider, hook) in entry.webhooks {
                circle.webhookSecrets[provider] = hook.secret
                circle.webhookScripts[provider] = try Self.read(hook.scriptPath, field: "webhooks.\(provider).script_path", fail: fail)
            }
            let start = try entry.scriptPath.map { path throws(ConfigError) in try Self.read(path, field: "script_path", fail: fail) }
            if let other = resolved.first(where: { $0.entry.port == entry.port && $0.circle.publicKey == publicKey }) {
                throw fail("public_key", "the same key as \"\(other.entry.name)\" on port \(entry.port)")
            }
            if let other = resolved.first(where: { $0.entry.port == entry.port && $0.entry.host != entry.host }) {
                throw fail("host", "\"\(other.entry.name)\" listens on port \(entry.port) with host \(other.entry.host); a port has one host")
            }
            resolved.append((index, entry, circle, start))
        }
        var ports: [Int] = []
        for item in resolved where !ports.contains(item.entry.port) { ports.append(item.entry.port) }
        var children: [ChildSpec] = []
        var launched: [LaunchedCircle] = []
        var nodes: [Int: ValueCell<CircleNode>] = [:]
        // A node drains its sessions, a worker process finishes its scripts, within the deadline; 15 s
        // past it the child is cancelled (a worker process gets SIGKILL).
        let stopTimeout = Duration.seconds(settings.shutdownDeadline) + .seconds(15)
        for port in ports {
            let group = resolved.filter { $0.entry.port == port }
            var options = NodeOptions()
            options.host = group[0].entry.host
            options.port = port
            options.circles = group.map(\.circle)
            options.authRequired = settings.authRequired
            options.requireBoundAuth = settings.requireBoundAuth
            options.redisURL = settings.redisURL
            options.redisWaitReplicas = settings.redisWaitReplicas
            options.redisTLS = redisTLS
            options.runWorkers = settings.runWorkers && settings.workerProcesses == 0
            options.workerConcurrency = settings.workerConcurrency
            options.dataDirectory = settings.dataDirectory ?? config.directory + "/data"
            options.shutdownDeadline = settings.shutdownDeadline
            options.playTimeout = settings.playTimeout
            options.maxInFlightPerCaller = settings.maxInFlightPerCaller
            options.tls = settings.tls
            options.taskSecret = settings.taskSecret
            options.acceptUnsignedTasks = settings.acceptUnsignedTasks
            options.allowedOrigins = settings.allowedOrigins
            options.publicHosts = settings.publicHosts
            for item in group { options.publicHosts += item.entry.publicHosts.filter { !options.publicHosts.contains($0) } }
            options.rhailibCompat = settings.rhailibCompat || group.contains { $0.entry.rhailibCompat }
            let (signing, token) = (SigningService(logger: logger), settings.signApiToken)
            options.routes.append { signing.install(into: &$0, apiToken: token) }
            let node: CircleNode
            do {
                node = try CircleNode(options: options, logger: logger)
            } catch {
                throw ConfigError(file: file, entry: ConfigError.entry(at: group[0].index, name: group[0].entry.name), field: "port", "\(error)")
            }
            let first = ValueCell(node)
            let current = ValueCell(node)
            nodes[port] = current
            let scripts = group.compactMap { item in
                item.start.map { NodeService.StartScript(name: item.entry.name, circle: item.circle.publicKey, script: $0) }
            }
            children.append(.service("port-\(port)", shutdown: .graceful(timeout: stopTimeout)) { [options] in
                if let node = first.take() { return NodeService(node: node, startScripts: scripts, signing: signing, logger: logger) }
                let node = try CircleNode(options: options, logger: logger)
                current.set(node)
                return NodeService(node: node, startScripts: [], signing: signing, logger: logger)
            })
            let bound = options.host == "0.0.0.0" || options.host == "::" ? "127.0.0.1" : options.host
            let shown = node.publicAuthority ?? "\(bound.contains(":") ? "[\(bound)]" : bound):\(node.port)"
            for item in group {
                launched.append(LaunchedCircle(name: item.entry.name, publicKey: item.circle.publicKey,
                                               url: "\(settings.tls == nil ? "ws" : "wss")://\(shown)/\(item.circle.publicKey)"))
            }
        }
        if settings.workerProcesses > 0, let redisURL = settings.redisURL {
            // The URL may hold the Redis password: it goes to the workers in their environment, not on
            // their command line, which every user of the machine can read in /proc.
            let environment = settings.workerEnvironment.merging(["CIRCLES_REDIS_URL": redisURL]) { $1 }
            var arguments = [settings.workerExecutable ?? Self.ownExecutable(), "worker",
                             "--data-dir", settings.dataDirectory ?? config.directory + "/data",
                             "--workers", String(settings.workerConcurrency),
                             "--shutdown-deadline", String(settings.shutdownDeadline),
                             "--busy-poll", String(BusyPoll.microseconds),
                             "--parent-pid", String(getpid()), "--redis-wait-replicas", String(settings.redisWaitReplicas)]
            if let path = settings.taskSecretFile { arguments += ["--task-secret-file", path] }
            if let path = settings.redisTLSCAFile { arguments += ["--redis-tls-ca", path] }
            if settings.taskSecret == nil, settings.acceptUnsignedTasks { arguments.append("--accept-unsigned-tasks") }
            if let path = settings.configPath {
                arguments += ["--config", path]
            } else {
                for item in resolved { arguments += ["--circle", item.circle.publicKey] }
                arguments += settings.workerPolicyArguments
            }
            // Worker processes come first, so they stop last: the nodes' draining sessions still have
            // their plays run.
            children.insert(contentsOf: (1...settings.workerProcesses).map { index in
                .service("worker-process-\(index)", shutdown: .graceful(timeout: stopTimeout)) { [arguments] in
                    WorkerProcess(arguments: arguments, environment: environment, logger: logger)
                }
            }, at: 0)
        }
        self.nodes = nodes
        self.secretFile = secretFile
        circles = config.circles.compactMap { entry in launched.first { $0.name == entry.name } }
        root = Supervisor("launcher", strategy: .oneForOne, intensity: RestartIntensity(maxRestarts: 5, period: 30),
                          backoff: Backoff(), children: children, onRestart: { child, failure in
                              logger.notice("restarting \(child)", metadata: ["child": "\(child)", "failure": "\(failure)"])
                          })
        self.logger = logger
    }

    /// Runs until `stop()` or one of `signals` (graceful: each node stops accepting, finishes its
    /// plays within the deadline and closes its sessions with 1001). Throws when restarts exceed the
    /// intensity: the launcher gives up. `onWatching` runs once `signals` are watched.
    public func run(signals: [Int32] = [], onWatching: () -> Void = {}) async throws(NodeError) {
        defer {
            if let path = secretFile {
                unlink(path)
                rmdir(String(path[..<path.lastIndex(of: "/")!]))
            }
        }
        try await root.runAsProcessRoot(signals: signals, logger: logger, onSignal: "stopping gracefully", onWatching: onWatching)
    }

    public func stop() { root.stop() }

    /// The launcher's tree: one child per port.
    public func snapshot() -> SupervisorSnapshot { root.snapshot() }

    /// The public key and policy of each circle of `config` (generating missing keys as `init` does), for
    /// worker processes that run this config's scripts.
    package static func policies(of config: LauncherConfig, file: String = "circles.json") throws(ConfigError) -> [String: CirclePolicy] {
        var policies: [String: CirclePolicy] = [:]
        for (index, entry) in config.circles.enumerated() {
            func fail(_ field: String, _ problem: String) -> ConfigError {
                ConfigError(file: file, entry: ConfigError.entry(at: index, name: entry.name), field: field, problem)
            }
            let (key, policy) = try identity(of: entry, directory: config.directory, fail: fail)
            policies[key] = policy
        }
        return policies
    }

    private static func identity(of entry: CircleEntry, directory: String, fail: (String, String) -> ConfigError)
        throws(ConfigError) -> (publicKey: String, policy: CirclePolicy)
    {
        let publicKey = try Self.publicKey(of: entry, directory: directory, fail: fail)
        var policy = CirclePolicy(webhookProviders: Set(entry.webhooks.keys), limits: entry.limits,
                                  dataLimits: entry.dataLimits)
        func caller(_ text: String, _ field: String) throws(ConfigError) -> String {
            guard let id = CirclePolicy.callerId(text) else {
                throw fail(field, "\(text) is not a public key (secp256k1 or Ed25519 hex)\(field.hasPrefix("policy.owners") ? "" : " or \"*\"")")
            }
            return id
        }
        if let callers = entry.allowedCallers {
            var players: Set<String> = []
            for text in callers { players.insert(try caller(text, "policy.players")) }
            policy.players = players
        }
        for text in entry.owners {
            let id = try caller(text, "policy.owners")
            guard id != CirclePolicy.anyone, !CircleEntry.providers.contains(id) else { throw fail("policy.owners", "an owner is a public key, not \(id)") }
            policy.owners.insert(id)
        }
        for (text, names) in entry.grants {
            let id = try caller(text, "policy.grants")
            policy.grants[id, default: []].formUnion(names.reduce(into: PolicyOperations()) { $0.formUnion(PolicyOperations(name: $1) ?? []) })
        }
        for (name, path) in entry.modules { policy.modules[name] = try read(path, field: "modules.\(name)", fail: fail) }
        return (publicKey, policy)
    }

    private static func ownExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return count > 0 ? String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    }

    private static func read(_ path: String, field: String, fail: (String, String) -> ConfigError) throws(ConfigError) -> String {
        do {
            return String(decoding: try FileBytes.read(path, limit: CircleModules.maxSourceBytes), as: UTF8.self)
        } catch {
            throw fail(field, "cannot read \(path): \(error)")
        }
    }

    /// The entry's public key: given, derived from its key file, or from a key generated on first start
    /// and kept next to the config (mode 0600).
    private static func publicKey(of entry: CircleEntry, directory: String, fail: (String, String) -> ConfigError) throws(ConfigError) -> String {
        var given: String?
        if let text = entry.publicKey {
            do {
                given = try PublicKey(hex: text).hex
            } catch {
                throw fail("public_key", "not a secp256k1 public key: \(error)")
            }
        }
        var keyFile = entry.privateKeyFile
        if given == nil, keyFile == nil {
            let safe = String(entry.name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
            let path = "\(directory)/\(safe).key"
            do {
                try PrivateKey().write(toFile: path)
            } catch KeyFileError.exists {
            } catch {
                throw fail("private_key_file", "no key given and \(error)")
            }
            keyFile = path
        }
        guard let keyFile else { return given! }
        let derived: String
        do {
            derived = try PrivateKey(contentsOfFile: keyFile).publicKey.hex
        } catch {
            throw fail("private_key_file", error.description)
        }
        if let given, given != derived { throw fail("public_key", "does not match the key in \(keyFile)") }
        return derived
    }
}
