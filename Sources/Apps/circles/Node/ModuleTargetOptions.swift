import ArgumentParser
import CirclesNode
import Foundation

/// Which circle's state `circles modules` works on: `--circle`, and `--data-dir` (embedded) or Redis.
struct ModuleTargetOptions: ParsableArguments {
    @Option(name: .customLong("circle"), help: ArgumentHelp("The circle's public key (hex).", valueName: "key")) var circle: String
    @Option(help: "Base directory of the circles' data namespaces (embedded mode; ignored with a Redis URL).") var dataDir = "./data"
    @Option(help: ArgumentHelp("The circles' Redis (Redis mode); default: $CIRCLES_REDIS_URL, else the embedded --data-dir.", valueName: "url"))
    var redisURL: String?
    @Option(help: ArgumentHelp("A file holding the Redis URL (keeps its password out of the process list).", valueName: "file"))
    var redisURLFile: String?
    @OptionGroup var taskSecret: TaskSecretOptions

    func validate() throws {
        if redisURL != nil, redisURLFile != nil { throw ValidationError("give --redis-url or --redis-url-file, not both") }
    }

    /// Where the modules are; a put into Redis needs the task secret to sign with.
    func installer(signing: Bool) -> ModuleInstaller {
        let url = SecretSource.resolve(flag: redisURL, file: redisURLFile, environment: "CIRCLES_REDIS_URL", fileOption: "--redis-url-file")
        guard let url else { return ModuleInstaller(.embedded(dataDirectory: dataDir)) }
        let secret = taskSecret.load()
        if signing, secret == nil, !taskSecret.acceptUnsignedTasks {
            CommandLogging.fail("modules in Redis are signed with the task secret: give --task-secret-file FILE or CIRCLES_TASK_SECRET (--accept-unsigned-tasks puts them unsigned, for workers that run unsigned tasks)", code: 2)
        }
        return ModuleInstaller(.redis(url: url, secret: secret))
    }

    /// Runs `body`; a failure is one line on stderr and exit code 1.
    func run<R>(signing: Bool = false, _ body: (ModuleInstaller) async throws(ModuleError) -> R) async -> R {
        do {
            return try await body(installer(signing: signing))
        } catch {
            CommandLogging.fail(error.description, code: 1)
        }
    }
}
