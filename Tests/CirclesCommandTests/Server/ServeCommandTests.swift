import CirclesTestSupport
import CircleClient
import CirclesCore
import Foundation
import TestSupport
import Testing
import Transport

/// `circles serve` and `circles worker` as processes: authentication on by default, `--no-auth` loud,
/// policies from the command line, Redis mode refused without a task secret.
@Suite struct ServeCommandTests {
    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"))
    func serveAuthenticatesByDefaultAndPoliciesComeFromTheCommandLine() async throws {
        let circle = PrivateKey().publicKey.hex
        let (owner, stranger) = (PrivateKey(), PrivateKey())
        let (process, url, err) = try await ServeProcess.start(["--owner", owner.publicKey.hex, "--grant", "*=data.read"], circle: circle)
        defer { _ = process.kill(SIGKILL) }
        let anonymous = try CircleClient.Builder(url: url).timeout(30).build()
        try await anonymous.connect()
        await #expect(throws: CircleClientError.authenticationRequired) { _ = try await anonymous.play("1") }
        await anonymous.close()

        func client(_ key: PrivateKey) async throws -> CircleClient {
            let client = try CircleClient.Builder(url: url).keyPair(key).timeout(30).build()
            try await client.connect()
            _ = try await client.authenticate()
            return client
        }
        let ownerClient = try await client(owner)
        #expect(try await ownerClient.play(#"save_data("note", "hi"); 1"#).output == "1")
        let strangerClient = try await client(stranger)
        #expect(try await strangerClient.play(#"load_data("note")"#).output == "hi", "the grant to *")
        await #expect { _ = try await strangerClient.play(#"save_data("note", "mine")"#) } throws: { error in
            guard case CircleClientError.execution(let failure) = error else { return false }
            return failure.kind == .denied
        }
        #expect(!CirclesBinary.read(err).contains("WARNING"))
        #expect(ChildProcess.exitCode(of: await process.stop(SIGTERM)) == 0)
    }

    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"))
    func noAuthIsLoud() async throws {
        let (process, url, err) = try await ServeProcess.start(["--no-auth"], circle: PrivateKey().publicKey.hex)
        defer { _ = process.kill(SIGKILL) }
        let client = try CircleClient.Builder(url: url).timeout(30).build()
        try await client.connect()
        #expect(try await client.play("CALLER_PUBLIC_KEY").output == "anonymous")
        #expect(CirclesBinary.read(err).contains("WARNING: authentication is OFF"))
        await client.close()
        _ = await process.stop(SIGTERM)
    }

    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"))
    func redisModeWithoutATaskSecretIsOneLineAndExitCode2() async throws {
        let circle = PrivateKey().publicKey.hex
        for arguments in [["serve", "--port", "0", "--circle", circle, "--redis-url", "redis://127.0.0.1:1"],
                          ["worker", "--redis-url", "redis://127.0.0.1:1", "--circle-public-key", circle]] {
            let outcome = try await CirclesCommand.run(arguments)
            #expect(outcome.status == 2, "\(arguments[0]): \(outcome.stderr)")
            let lines = outcome.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].contains("task secret"), "\(lines)")
        }
    }
}
