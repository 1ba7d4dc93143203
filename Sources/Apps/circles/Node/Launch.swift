import ArgumentParser
import CirclesCore
import CirclesNode
import Foundation
import Transport

/// `circles launch`: run the circles of a config file (or given keys on one port) under one supervisor.
struct Launch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Launch circles from a config file, or several circles by key on one port.",
        discussion: """
            circles launch --config circles.json [--json]     an array of {"name", "port", "script_path", ...}
            circles launch --circle PK1 --circle PK2 --port P  one server, several circles by path
            Each entry's "policy" says who may play and what they may use: {"owners": [KEY], "players": [KEY | "*"],
            "grants": {KEY | "*": ["data.read", "data.write", "data.delete", "modules", "webhooks"]}}.
            With --redis-url, tasks are signed with a task secret (CIRCLES_TASK_SECRET, --task-secret-file, or one
            made for this run and handed to the worker processes in a 0600 file).
            Missing keys are generated next to the config (mode 0600). A bad config is one line on stderr and
            exit code 2, nothing started. SIGINT/SIGTERM: stop accepting, finish in-flight plays, close with 1001.
            The Redis URL goes to worker processes in their environment (CIRCLES_REDIS_URL), never on their command
            line. Under systemd (NOTIFY_SOCKET set) READY=1 is sent once every node accepts.
            Exit codes: 0 stopped by a signal, 1 runtime failure, 2 bad usage or configuration.
            """
    )

    @Option(help: "The launcher config (a JSON array of circle entries).") var config: String?
    @Option(name: .customLong("circle"), help: "A circle's public key (hex, with --port); repeatable.") var circleKeys: [String] = []
    @Option(name: [.customShort("k"), .customLong("key")], help: .hidden) var legacyKeys: [String] = []
    @Option(help: "Port for --circle circles.") var port: Int?
    @Option(help: "Host for --circle circles.") var host = "127.0.0.1"
    @OptionGroup(title: "Queue") var redis: RedisOptions
    @Flag(help: "With --redis-url, run no workers here.") var noWorkers = false
    @Option(help: "With --redis-url: run this many supervised `circles worker` processes instead of in-node workers.") var workerProcesses = 0
    @Option(help: "Tasks each node's workers (or each worker process) run at once, each on its own thread.") var workers = 8
    @Flag(help: "Let unauthenticated peers play (authentication is required by default; prints a warning).") var noAuth = false
    @Option(help: ArgumentHelp("A browser origin (https://app.example) allowed to use the nodes besides their own; repeatable.", valueName: "origin"))
    var allowedOrigin: [String] = []
    @Option(help: ArgumentHelp("A name every node answers to (node.example, or node.example:8443 for that port only); repeatable; a config entry adds its own \"public_hosts\".",
                               valueName: "name"))
    var publicHost: [String] = []
    @Flag(help: "With --redis-url, write tasks as the original rhailib client does (no reply_to; answers read from rhailib:reply:{task_id}), for original rhailib workers; a config entry may say \"rhailib_compat\": true.")
    var rhailibCompat = false
    @OptionGroup var taskSecret: TaskSecretOptions
    @OptionGroup(title: "Policy of --circle circles (a config gives each entry's own)") var policy: PolicyOptions
    @Flag(help: "Accept only the bound form of the authentication signature (SPEC 3.1) in every circle.") var requireBoundAuth = false
    @Option(help: "Base directory of the data namespaces (default: data/ next to the config).") var dataDir: String?
    @Option(help: "Seconds a graceful stop waits for in-flight plays.") var shutdownDeadline = 10.0
    @Option(help: "Plays one authenticated caller may have in flight on a node, over all its sessions (0: no cap).") var maxInFlightPerCaller = 4
    @OptionGroup var signToken: SignTokenOptions
    @OptionGroup(title: "TLS (every node)") var tls: TLSOptions
    @OptionGroup(title: "Logging") var logging: LoggingOptions
    @Flag(help: "Print one JSON line [{name, public_key, url}] instead of the table.") var json = false

    @OptionGroup var busyPoll: BusyPollOption

    func run() async throws {
        logging.bootstrap()
        busyPoll.apply()
        FileDescriptorLimit.raiseToHard()
        let file = config ?? "(command line)"
        let loaded: LauncherConfig
        do {
            loaded = try makeConfig(file: file)
        } catch {
            CommandLogging.fail(error.description, code: 2)
        }
        var settings = LauncherSettings()
        settings.redisURL = redis.resolve()
        settings.redisWaitReplicas = redis.redisWaitReplicas
        settings.redisTLSCAFile = redis.redisTLSCA
        settings.runWorkers = !noWorkers
        settings.workerProcesses = noWorkers ? 0 : workerProcesses
        settings.configPath = config
        settings.workerConcurrency = workers
        settings.authRequired = !noAuth
        if noAuth { CommandLogging.warnNoAuth() }
        settings.allowedOrigins = allowedOrigin
        settings.publicHosts = publicHost
        settings.rhailibCompat = rhailibCompat
        settings.taskSecret = taskSecret.load()
        settings.taskSecretFile = taskSecret.taskSecretFile
        settings.acceptUnsignedTasks = taskSecret.acceptUnsignedTasks
        settings.workerPolicyArguments = policy.owners.flatMap { ["--owner", $0] } + policy.players.flatMap { ["--player", $0] }
            + policy.grants.flatMap { ["--grant", $0] }
        if let config, let warning = LauncherConfig.permissionWarning(path: config, config: loaded) {
            FileHandle.standardError.write(Data("circles: warning: \(warning)\n".utf8))
        }
        settings.requireBoundAuth = requireBoundAuth
        settings.dataDirectory = dataDir
        settings.shutdownDeadline = shutdownDeadline
        settings.maxInFlightPerCaller = maxInFlightPerCaller
        settings.signApiToken = signToken.resolve()
        settings.tls = tls.load()
        settings.workerEnvironment = logging.environment
        let launcher: Launcher
        do {
            launcher = try Launcher(config: loaded, settings: settings, file: file)
        } catch {
            CommandLogging.fail(error.description, code: 2)
        }
        let announcement = report(launcher.circles)
        SystemdReadiness.notify { launcher.isAccepting }
        defer { SystemdReadiness.stopping() }
        do {
            try await launcher.run(signals: [SIGINT, SIGTERM]) { FileHandle.standardOutput.write(Data(announcement.utf8)) }
        } catch {
            CommandLogging.fail(error.description, code: 1)
        }
    }

    /// `--circle` keys, and those given with the old `-k`/`--key`.
    private var keys: [String] { circleKeys + legacyKeys }

    private func makeConfig(file: String) throws(ConfigError) -> LauncherConfig {
        if let config {
            guard keys.isEmpty, port == nil else { throw ConfigError(file: file, "give either --config or --circle/--port, not both") }
            guard policy.owners.isEmpty, policy.players.isEmpty, policy.grants.isEmpty else {
                throw ConfigError(file: file, "--owner, --player and --grant are for --circle circles; a config gives each entry a \"policy\"")
            }
            return try LauncherConfig.load(path: config, environment: ProcessInfo.processInfo.environment)
        }
        guard !keys.isEmpty, let port else { throw ConfigError(file: file, "give --config FILE, or --circle PUBLIC_KEY (repeatable) with --port P") }
        guard (1...65_535).contains(port) else { throw ConfigError(file: file, field: "port", "must be 1...65535") }
        let entries = keys.enumerated().map { index, key in
            var entry = CircleEntry(name: "circle-\(index + 1)", port: port, host: host, publicKey: key)
            entry.owners = policy.owners
            entry.allowedCallers = policy.players.isEmpty ? nil : policy.players
            for grant in policy.grants {
                guard let equals = grant.firstIndex(of: "=") else { continue }
                entry.grants[String(grant[..<equals]), default: []] += grant[grant.index(after: equals)...].split(separator: ",").map(String.init)
            }
            return entry
        }
        return LauncherConfig(circles: entries, directory: FileManager.default.currentDirectoryPath)
    }

    private func report(_ circles: [LaunchedCircle]) -> String {
        if json {
            let array = JSON.array(circles.map { .object(["name": .string($0.name), "public_key": .string($0.publicKey), "url": .string($0.url)]) })
            return array.serialized + "\n"
        }
        let width = max(4, circles.map(\.name.count).max() ?? 0)
        func pad(_ text: String) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        var out = "\(pad("NAME"))  \(pad2("PUBLIC KEY"))  URL\n"
        for circle in circles { out += "\(pad(circle.name))  \(circle.publicKey)  \(circle.url)\n" }
        return out
    }

    private func pad2(_ text: String) -> String { text + String(repeating: " ", count: 66 - text.count) }
}
