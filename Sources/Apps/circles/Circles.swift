import ArgumentParser
import CirclesNode
import Foundation
import Threads

@main
struct Circles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "circles",
        abstract: "A peer-centric script runtime: circles run Rhai scripts that authenticated peers send them.",
        discussion: """
            Exit codes, the same for every command: 0 success (for serve, launch, worker and signer: stopped by a \
            signal); 1 runtime failure (a script error, a failed start, a lost service); 2 bad usage (unknown \
            option, bad value, unreadable input or key file, bad configuration); 3 for play: the node could not \
            be reached or refused the call.
            Shell completions: circles --generate-completion-script bash|zsh|fish.
            """,
        version: CirclesVersion.current,
        subcommands: [Launch.self, Serve.self, Worker.self, ModulesCommand.self, Play.self, Keygen.self, Run.self, Repl.self, Signer.self, Bench.self]
    )

    /// Exit code of bad usage (argument-parser's own is 64, EX_USAGE; the documented one is 2).
    static let usageExitCode: Int32 = 2

    /// Parses and runs like argument-parser's own `main`, but usage errors exit with 2, as the help says.
    /// `circles run` in its usual spellings skips argument-parser (`RunRequest(fastArguments:)`): start-up.
    static func main() async {
        DedicatedThread.namePrefix = "circles-"
        let arguments = CommandLine.arguments
        if arguments.count > 1, arguments[1] == "run", let request = RunRequest(fastArguments: arguments.dropFirst(2)) {
            Foundation.exit(request.execute())
        }
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(usageExitCode)
            }
            exit(withError: error)
        }
    }
}
