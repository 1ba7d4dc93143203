import ArgumentParser
import CirclesNode
import Foundation

/// `--task-secret-file`, `--accept-unsigned-tasks`: how tasks queued in Redis are signed and checked
/// (SPEC section 5). The secret may also come from CIRCLES_TASK_SECRET.
struct TaskSecretOptions: ParsableArguments {
    @Option(help: ArgumentHelp("File holding the secret that signs tasks in Redis (mode 0600; default: $CIRCLES_TASK_SECRET).", valueName: "file"))
    var taskSecretFile: String?
    @Flag(help: "Without a task secret: queue unsigned tasks and run unsigned ones (anyone who can write to Redis can then run scripts as anyone).")
    var acceptUnsignedTasks = false

    /// The secret, or nil; a bad file or value ends the command with one line.
    func load() -> TaskSecret? {
        do {
            return try TaskSecret.load(file: taskSecretFile, environment: ProcessInfo.processInfo.environment)
        } catch {
            CommandLogging.fail(error.description, code: 2)
        }
    }
}
