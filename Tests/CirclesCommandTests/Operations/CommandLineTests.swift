import CirclesCore
import CirclesNode
import Foundation
import Testing
import TestSupport

/// The command line's promises: the documented exit codes (0 ok, 1 runtime failure, 2 usage, 3 for
/// play: node unreachable), `--help` exiting 0 on every command, `--version`, and one vocabulary with
/// the old spellings still accepted but hidden.
@Suite(.enabled(if: CirclesBinary.isBuilt, "the circles executable is not built"))
struct CommandLineTests {
    static let commands = ["launch", "serve", "worker", "play", "keygen", "run", "repl", "signer", "bench", "modules"]

    @Test func versionIsPrinted() async throws {
        let result = try await CommandResult.circles(["--version"])
        #expect(result.code == 0)
        #expect(result.out.trimmingCharacters(in: .whitespacesAndNewlines) == CirclesVersion.current)
    }

    @Test(arguments: commands)
    func helpExitsZero(command: String) async throws {
        let result = try await CommandResult.circles([command, "--help"])
        #expect(result.code == 0, "\(command) --help: \(result.err)")
        #expect(result.out.contains("USAGE: circles \(command)"))
    }

    @Test(arguments: commands)
    func anUnknownOptionIsAUsageError(command: String) async throws {
        let result = try await CommandResult.circles([command, "--no-such-option"])
        // (argument-parser may report a missing required option first: a usage error all the same)
        #expect(result.code == 2, "\(command): \(result.err)")
    }

    @Test func theHelpDocumentsTheExitCodes() async throws {
        let result = try await CommandResult.circles(["--help"])
        #expect(result.out.contains("2 bad usage"))
        #expect(result.out.contains("1 runtime failure"))
    }

    @Test func missingArgumentsAreUsageErrors() async throws {
        for arguments in [["serve"], ["launch"], ["worker"], ["play", "-e", "1"], ["run"], ["signer"], ["keygen", "--force"], ["modules", "put", "--circle", "02"]] {
            let result = try await CommandResult.circles(arguments)
            #expect(result.code == 2, "\(arguments): \(result.err)")
        }
    }

    @Test func runtimeFailuresExitOneAndUnreachableNodesThree() async throws {
        let failing = try await CommandResult.circles(["run", "-e", "let x = ;"])
        #expect(failing.code == 1)
        let unreadable = try await CommandResult.circles(["run", "/nonexistent/script.rhai"])
        #expect(unreadable.code == 2)
        let ran = try await CommandResult.circles(["run", "-e", "40 + 2"])
        #expect(ran.code == 0 && ran.out == "42\n")
        let unreachable = try await CommandResult.circles(["play", "--url", "ws://127.0.0.1:1/02" + String(repeating: "a", count: 64),
                                                          "--timeout", "5", "-e", "1"])
        #expect(unreachable.code == 3, "\(unreachable.err)")
        let missingKey = try await CommandResult.circles(["keygen", "--show", "/nonexistent/me.key"])
        #expect(missingKey.code == 2)
    }

    @Test func everyServingCommandSpeaksTheSameFlags() async throws {
        for command in ["serve", "launch"] {
            let help = try await CommandResult.circles([command, "--help"]).out
            for flag in ["--tls-cert", "--tls-key", "--circle", "--workers", "--redis-url-file", "--sign-api-token-file", "--log-level", "--log-format"] {
                #expect(help.contains(flag), "\(command) --help lacks \(flag)")
            }
        }
        let worker = try await CommandResult.circles(["worker", "--help"]).out
        for flag in ["--circle", "--workers", "--redis-url-file", "--log-level", "--log-format"] { #expect(worker.contains(flag)) }
        // The old spellings are hidden.
        #expect(!worker.contains("--circle-public-key") && !worker.contains("--concurrency"))
        let serve = try await CommandResult.circles(["serve", "--help"]).out
        #expect(!serve.contains("--cert <") && !serve.contains("--key <"))
        let launch = try await CommandResult.circles(["launch", "--help"]).out
        #expect(!launch.contains("-k,") && !launch.contains("--key <"))
    }

    @Test func theOldSpellingsStillParse() async throws {
        let key = "02" + String(repeating: "a", count: 64)
        // Past parsing, each fails on what it was given, not with "unknown option".
        let serve = try await CommandResult.circles(["serve", "--circle", key, "--port", "1", "--tls", "--cert", "/nonexistent.pem", "--key", "/nonexistent.key"])
        #expect(serve.code == 2 && !serve.err.contains("Unknown option"), "\(serve.err)")
        #expect(serve.err.contains("nonexistent"))
        let launch = try await CommandResult.circles(["launch", "-k", key])
        #expect(launch.code == 2 && launch.err.contains("--port"), "\(launch.err)")
        let worker = try await CommandResult.circles(["worker", "--circle-public-key", key, "--concurrency", "2", "--redis-url-file", "/nonexistent"])
        #expect(worker.code == 2 && worker.err.contains("--redis-url-file /nonexistent"), "\(worker.err)")
        let both = try await CommandResult.circles(["worker", "--workers", "2", "--concurrency", "2"])
        #expect(both.code == 2)
    }

    @Test func anAddressInUseIsAConfigurationError() async throws {
        let taken = try FreePort.listening()
        defer { close(taken.fd) }
        let result = try await CommandResult.circles(["serve", "--circle", PrivateKey().publicKey.hex, "--port", String(taken.port),
                                                      "--data-dir", try TemporaryDirectory.make(prefix: "circles-cli") + "/data"])
        #expect(result.code == 2, "\(result.err)")
        #expect(result.err.contains("\(taken.port)"))
    }

    @Test func badLoggingOptionsAreUsageErrors() async throws {
        let level = try await CommandResult.circles(["serve", "--circle", "02" + String(repeating: "a", count: 64), "--log-level", "loud"])
        #expect(level.code == 2 && level.err.contains("--log-level"))
        let format = try await CommandResult.circles(["worker", "--log-format", "xml"])
        #expect(format.code == 2 && format.err.contains("--log-format"))
    }

    @Test func completionScriptsAreGenerated() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try await CommandResult.circles(["--generate-completion-script", shell])
            #expect(result.code == 0)
            #expect(result.out.contains("serve"))
        }
    }
}
