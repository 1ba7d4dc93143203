import ArgumentParser
import CirclesNode
import Foundation
import Supervision
import Transport

/// `circles worker`: takes tasks from Redis and runs them in their circle's context.
struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run scripts queued in Redis (the rhailib protocol), for some circles or for all.",
        discussion: """
            circles worker --redis-url redis://127.0.0.1:6379                       every circle known to Redis
            circles worker --redis-url URL --circle PK [--circle PK2]
            circles worker --redis-url URL --config circles.json                    the config's circles, with their
                                                                                    policies and limits
            The URL may also come from --redis-url-file or CIRCLES_REDIS_URL (keeping a password off the command line).
            Tasks must be signed with the task secret (CIRCLES_TASK_SECRET or --task-secret-file) unless
            --accept-unsigned-tasks; with circles given, tasks of other circles are refused.
            SIGINT/SIGTERM: take no new tasks, finish the running ones, exit 0.
            Exit codes: 0 stopped by a signal, 1 runtime failure, 2 bad usage or configuration.
            """
    )

    @OptionGroup(title: "Queue") var redis: RedisOptions
    @Option(name: .customLong("circle"), help: "Serve only this circle (compressed public key hex); repeatable; default: every circle.")
    var circleKeys: [String] = []
    @Option(name: .customLong("circle-public-key"), help: .hidden) var legacyCircleKeys: [String] = []
    @Option(help: "A launcher config: serve its circles with their allow-lists and limits.") var config: String?
    @Option(help: "Base directory of the circles' data namespaces.") var dataDir = "./data"
    @Option(help: "Tasks run at once, each on its own thread (default: 4).") var workers: Int?
    @Option(name: .customLong("concurrency"), help: .hidden) var legacyConcurrency: Int?
    @Option(help: "Seconds without a heartbeat after which a worker's tasks are delivered again.") var visibilityTimeout = 10.0
    @Option(help: "Deliveries of one task before it goes to the dead-letter list.") var maxDeliveries = 3
    @Option(help: "Seconds a graceful stop waits for the running scripts (those still running are stopped and given back to their queues).")
    var shutdownDeadline = 60.0
    @OptionGroup var policy: PolicyOptions
    @OptionGroup var modules: ModuleOptions
    @OptionGroup var taskSecret: TaskSecretOptions
    @Option(help: "Stop gracefully when this process (the launcher that started this worker) is no longer the parent.") var parentPid: Int32?

    @OptionGroup var dataLimits: DataLimitOptions
    @OptionGroup(title: "Logging") var logging: LoggingOptions
    @OptionGroup var busyPoll: BusyPollOption

    func validate() throws {
        if workers != nil, legacyConcurrency != nil { throw ValidationError("give --workers (--concurrency is its old name), not both") }
        if let count = workers ?? legacyConcurrency, count < 1 { throw ValidationError("--workers must be 1 or more") }
    }

    func run() async throws {
        logging.bootstrap()
        busyPoll.apply()
        FileDescriptorLimit.raiseToHard()
        guard let redisURL = redis.resolve() else {
            CommandLogging.fail("give --redis-url URL, --redis-url-file FILE or CIRCLES_REDIS_URL", code: 2)
        }
        let concurrency = workers ?? legacyConcurrency ?? 4
        var queueOptions = RedisTaskSource.Options()
        queueOptions.visibilityTimeout = visibilityTimeout
        queueOptions.maxDeliveries = maxDeliveries
        queueOptions.waitReplicas = redis.redisWaitReplicas
        queueOptions.secret = taskSecret.load()
        queueOptions.acceptUnsignedTasks = taskSecret.acceptUnsignedTasks
        if queueOptions.secret == nil, !queueOptions.acceptUnsignedTasks { CommandLogging.fail(NodeError.taskSecretRequired.description, code: 2) }
        var keyPolicy: CirclePolicy
        do {
            keyPolicy = try policy.policy()
        } catch {
            CommandLogging.fail(error.message, code: 2)
        }
        keyPolicy.dataLimits = dataLimits.limits
        do {
            keyPolicy.modules = try modules.load()
        } catch {
            CommandLogging.fail(error.message, code: 2)
        }
        queueOptions.dataDirectory = dataDir
        var circles = circleKeys + legacyCircleKeys
        var policies: [String: CirclePolicy] = [:]
        if let config {
            do {
                let loaded = try LauncherConfig.load(path: config, environment: ProcessInfo.processInfo.environment)
                if let warning = LauncherConfig.permissionWarning(path: config, config: loaded) {
                    FileHandle.standardError.write(Data("circles: warning: \(warning)\n".utf8))
                }
                policies = try Launcher.policies(of: loaded, file: config)
            } catch {
                CommandLogging.fail(error.description, code: 2)
            }
            circles += policies.keys.sorted()
        }
        let worker: StandaloneWorker
        do {
            let (known, fallback) = (policies, keyPolicy)
            worker = try StandaloneWorker(redisURL: redisURL, circles: circles, dataDirectory: dataDir, concurrency: concurrency,
                                          queueOptions: queueOptions, shutdownDeadline: shutdownDeadline, policies: { known[$0] ?? fallback },
                                          redisTLS: redis.tlsContext())
        } catch {
            CommandLogging.fail("\(error)", code: 2)
        }
        let scope = circles.isEmpty ? "every circle" : circles.joined(separator: ", ")
        let announcement = "circles: worker \(worker.id) (pid \(getpid())) taking tasks for \(scope)\n"
        if let parent = parentPid {
            Task.detached {
                while getppid() == parent { try? await Task.sleep(for: .milliseconds(500)) }
                FileHandle.standardError.write(Data("circles: worker \(worker.id): the launcher is gone; stopping\n".utf8))
                worker.stop()
            }
        }
        do {
            try await worker.run(signals: [SIGINT, SIGTERM]) { FileHandle.standardError.write(Data(announcement.utf8)) }
        } catch {
            CommandLogging.fail("\(error)", code: 1)
        }
    }
}
