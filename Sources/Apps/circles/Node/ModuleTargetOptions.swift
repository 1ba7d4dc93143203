import ArgumentParser
import CirclesNode
import Foundation

/// Which circle's state `circles modules` works on: `--circle`, and `--data-dir` (embedded) or Redis.
struct ModuleTargetOptions: ParsableArguments {
    @Option(name: .customLong("circle"), help: ArgumentHelp("The circle's public key (hex).", valueName: "key")) var circle: String
    @Option(help: "Base directory of the circles' data namespaces (embedded mode; ignored with a Redis URL).") var dataDir = "./data"
    @OptionGroup(title: "Queue") var redis: RedisOptions

    var installer: ModuleInstaller {
        ModuleInstaller(redis.resolve().map { .redis(url: $0) } ?? .embedded(dataDirectory: dataDir))
    }

    /// Runs `body`; a failure is one line on stderr and exit code 1.
    func run<R>(_ body: (ModuleInstaller) async throws(ModuleError) -> R) async -> R {
        do {
            return try await body(installer)
        } catch {
            CommandLogging.fail(error.description, code: 1)
        }
    }
}
