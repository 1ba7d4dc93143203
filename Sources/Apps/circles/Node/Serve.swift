import ArgumentParser
import CirclesNode
import Foundation
import Logging
import Transport

/// `circles serve`: one node serving one or more circles by path.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve circles over WebSocket JSON-RPC (ws://host:port/CIRCLE_PK), with /health and /metrics.",
        discussion: """
            Without --redis-url the node runs an embedded queue and in-process workers; with it, scripts go
            through Redis to workers that may run anywhere (this node runs workers too unless --no-workers).
            SIGINT/SIGTERM stop it gracefully: no new sessions, in-flight plays finish, sockets close with 1001.

            Examples:
            Authentication is on: peers play after authenticate (--no-auth turns it off, loudly). By default any
            authenticated caller may play and only the circle's own key and --owner keys touch its data;
            --grant gives more. Browsers are let in from the node's own origin and --allowed-origin ones only.

              circles serve --circle 02ab… --port 8080 --grant '*=data.read'
              CIRCLES_TASK_SECRET=… circles serve --circle 02ab… --circle 03cd… --redis-url redis://127.0.0.1:6379 --no-workers
              circles serve --circle 02ab… --port 8443 --tls-cert server.pem --tls-key server.key
            Secrets stay off the command line with --redis-url-file/CIRCLES_REDIS_URL, --task-secret-file/CIRCLES_TASK_SECRET
            and --sign-api-token-file/CIRCLES_SIGN_API_TOKEN. Under systemd (NOTIFY_SOCKET set) the node sends READY=1
            once it accepts. Exit codes: 0 stopped by a signal, 1 runtime failure, 2 bad usage or configuration.
            """
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
    @Option(name: .customLong("circle"), help: "A circle's public key (hex); repeat for several.") var circles: [String] = []
    @Flag(help: "Let peers play without authenticate (prints a warning; for local experiments only).") var noAuth = false
    @Flag(help: ArgumentHelp("Require authenticate before play (the default).", visibility: .hidden)) var auth = false
    @Option(help: ArgumentHelp("A browser origin (https://app.example) allowed to use the node besides its own; repeatable.", valueName: "origin"))
    var allowedOrigin: [String] = []
    @Option(help: ArgumentHelp("A name this node answers to (node.example, or node.example:8443 for that port only); repeatable. Other Host headers get 421 and bound signatures must name one of these.",
                               valueName: "name"))
    var publicHost: [String] = []
    @OptionGroup var policy: PolicyOptions
    @OptionGroup var modules: ModuleOptions
    @OptionGroup var taskSecret: TaskSecretOptions
    @Flag(help: "Accept only the bound form of the authentication signature (SPEC 3.1), not the legacy bare nonce.")
    var requireBoundAuth = false
    @OptionGroup(title: "Queue") var redis: RedisOptions
    @Flag(help: "With --redis-url, run no workers in this process.") var noWorkers = false
    @Flag(help: "With --redis-url, write tasks as the original rhailib client does (no reply_to; the answer is read from rhailib:reply:{task_id}), for original rhailib workers.")
    var rhailibCompat = false
    @Option(help: "Base directory of the circles' data namespaces.") var dataDir = "./data"
    @Option(help: "Seconds a nonce stays valid.") var nonceTtl = 300.0
    @Option(help: "Seconds a play waits for its result.") var playTimeout = 30.0
    @Option(help: "Tasks the in-process workers run at once, each on its own thread.") var workers = 8
    @Option(help: "Plays one session may have in flight.") var maxInFlight = 16
    @Option(help: "Plays one authenticated caller may have in flight over all its sessions (0: no cap).") var maxInFlightPerCaller = 4
    @Option(help: "Seconds a graceful stop waits for in-flight plays.") var shutdownDeadline = 10.0
    @Option(help: "Seconds a session may stay silent before it is closed (0: never).") var idleTimeout = 900.0
    @OptionGroup(title: "TLS") var tls: TLSOptions
    @Flag(name: .customLong("tls"), help: .hidden) var legacyTLS = false
    @Option(name: .customLong("cert"), help: .hidden) var legacyCert: String?
    @Option(name: .customLong("key"), help: .hidden) var legacyKey: String?
    @OptionGroup var signToken: SignTokenOptions
    @OptionGroup(title: "Logging") var logging: LoggingOptions

    @OptionGroup var dataLimits: DataLimitOptions
    @OptionGroup var busyPoll: BusyPollOption

    /// `--tls-cert`/`--tls-key`, or the older `--tls --cert --key`.
    var certificateFiles: (cert: String, key: String)? {
        if let cert = tls.tlsCert ?? legacyCert, let key = tls.tlsKey ?? legacyKey { return (cert, key) }
        return nil
    }

    func validate() throws {
        if legacyTLS, certificateFiles == nil { throw ValidationError("--tls needs --tls-cert FILE and --tls-key FILE") }
        if (legacyCert != nil || legacyKey != nil), tls.tlsCert != nil || tls.tlsKey != nil {
            throw ValidationError("give --tls-cert and --tls-key (--cert and --key are their old names)")
        }
        if (legacyCert == nil) != (legacyKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if circles.isEmpty { throw ValidationError("give at least one --circle PUBLIC_KEY") }
        if auth, noAuth { throw ValidationError("--auth and --no-auth contradict each other") }
        if !(1...65_535).contains(port) && port != 0 { throw ValidationError("--port must be 0...65535") }
    }

    func run() async throws {
        logging.bootstrap()
        busyPoll.apply()
        FileDescriptorLimit.raiseToHard()
        var options = NodeOptions()
        options.host = host
        options.port = port
        var circlePolicy: CirclePolicy
        do {
            circlePolicy = try policy.policy()
        } catch {
            CommandLogging.fail(error.message, code: 2)
        }
        circlePolicy.dataLimits = dataLimits.limits
        do {
            circlePolicy.modules = try modules.load()
        } catch {
            CommandLogging.fail(error.message, code: 2)
        }
        options.circles = circles.map { NodeOptions.Circle(publicKey: $0, policy: circlePolicy) }
        options.authRequired = !noAuth
        if noAuth { CommandLogging.warnNoAuth() }
        options.allowedOrigins = allowedOrigin
        options.publicHosts = publicHost
        options.taskSecret = taskSecret.load()
        options.acceptUnsignedTasks = taskSecret.acceptUnsignedTasks
        options.requireBoundAuth = requireBoundAuth
        options.redisURL = redis.resolve()
        options.redisWaitReplicas = redis.redisWaitReplicas
        options.redisTLS = redis.tlsContext()
        options.rhailibCompat = rhailibCompat
        options.runWorkers = !noWorkers
        options.dataDirectory = dataDir
        options.nonceTTL = nonceTtl
        options.playTimeout = playTimeout
        options.workerConcurrency = workers
        options.maxInFlightPerSession = maxInFlight
        options.maxInFlightPerCaller = maxInFlightPerCaller
        options.shutdownDeadline = shutdownDeadline
        options.idleTimeout = idleTimeout
        if let files = certificateFiles { options.tls = ServerCertificate.load(certificate: files.cert, key: files.key) }
        let signing = SigningService()
        let token = signToken.resolve()
        options.routes.append { signing.install(into: &$0, apiToken: token) }
        let node: CircleNode
        do {
            node = try CircleNode(options: options)
        } catch {
            CommandLogging.fail("\(error)", code: 2)
        }
        SystemdReadiness.notify { node.isAccepting }
        defer { SystemdReadiness.stopping() }
        let scheme = options.tls == nil ? "ws" : "wss"
        let authority = node.publicAuthority ?? "\(host):\(node.port)"
        let lines = node.circleKeys.map { "circle \($0) at \(scheme)://\(authority)/\($0)\n" }.joined()
        if let redis = node.redis { await signing.join(redis: redis, secret: options.taskSecret) }
        do {
            try await node.run(signals: [SIGINT, SIGTERM]) { FileHandle.standardOutput.write(Data(lines.utf8)) }
            await signing.leave()
        } catch {
            CommandLogging.fail("\(error)", code: 1)
        }
    }
}
