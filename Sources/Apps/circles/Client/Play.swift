import ArgumentParser
import CircleClient
import CirclesCore
import Foundation
import Transport

/// `circles play --url URL [--key FILE] (-e SCRIPT | FILE | -)`: one script on one circle, like a
/// one-shot client.
struct Play: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a script on a circle and print its output.",
        discussion: """
            Connects to the circle at --url, authenticates with the key in --key when given (signing the bound \
            message of SPEC 3.1: this node's host, this circle and the nonce; never anything but a 64-hex nonce), sends the script \
            (-e TEXT, a FILE, or - to read stdin) and prints its output on stdout; the lines the script printed \
            go to stderr. With --json, stdout gets one line: {"output": ..., "logs": [...]} or {"error": {...}}.

            Exit codes: 0 done; 1 the script failed (kind, line and column are printed); 2 bad usage or an \
            unreadable script or key file; 3 the node could not be reached or refused the call (connection, \
            authentication, timeout, busy, ...).

            Examples:
              circles play --url ws://127.0.0.1:8080/02ab… -e '40 + 2'
              circles play --url ws://127.0.0.1:8080/02ab… --key me.key script.rhai
              circles play --url ws://127.0.0.1:8080/02ab… --key ed.key -e 'CALLER_PUBLIC_KEY'   # from circles keygen --ed25519
              circles play --url wss://node.example:8443/02ab… --key me.key --tls-ca ca.pem -e 'CALLER_PUBLIC_KEY'
              echo 'CALLER_PUBLIC_KEY' | circles play --url ws://127.0.0.1:8080/02ab… --key me.key -
            """
    )

    @Option(help: "The circle: ws://host:port/CIRCLE_PUBLIC_KEY (or wss://...).") var url: String
    @Option(help: "Private key file (hex, as `circles keygen --out` writes it) to authenticate with.") var key: String?
    @Option(help: "Seconds to wait for the connection, and for the answer.") var timeout = 30.0
    @Option(name: [.customShort("e"), .customLong("eval")], help: ArgumentHelp("The script text.", valueName: "script")) var script: String?
    @Option(help: ArgumentHelp("For wss://: trust the certificate authorities in this PEM file instead of the system's.", valueName: "file"))
    var tlsCa: String?
    @Flag(help: "Read a plain-hex key file as an Ed25519 seed (files from circles keygen --ed25519 say so themselves).")
    var ed25519 = false
    @Flag(help: "Sign in the Ethereum personal-sign form with the uncompressed key (as original circles clients do).") var ethereum = false
    @Flag(help: "Sign the bare nonce, not the bound message: only for original circles servers (the server could relay it).")
    var legacyAuth = false
    @Flag(help: "Print one JSON line on stdout instead of plain output.") var json = false
    @Argument(help: "Script file, or - to read the script from stdin.") var file: String?

    func validate() throws {
        if (script == nil) == (file == nil) { throw ValidationError("give exactly one of -e SCRIPT, FILE or -") }
        if ed25519, ethereum { throw ValidationError("--ethereum signs with secp256k1 keys, not Ed25519") }
        if timeout <= 0 { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    func run() async throws {
        let source: String
        if let script {
            source = script
        } else if let file, let text = await InputFile.read(file) {
            source = text
        } else {
            throw fail("cannot read the script from \(file == "-" ? "stdin" : file ?? "")", code: 2)
        }
        var builder = CircleClient.Builder(url: url).timeout(timeout).connectTimeout(timeout).signing(ethereum ? .ethereum : .compact)
        if legacyAuth { builder = builder.legacyAuthentication() }
        if let tlsCa {
            do {
                builder = builder.tls(try TLSClientContext(trust: .certificateAuthorityFile(tlsCa)))
            } catch {
                throw fail(error.description, code: 2)
            }
        }
        if let key {
            do {
                builder = builder.keyPair(try CallerPrivateKey(contentsOfFile: key, ed25519: ed25519))
            } catch {
                throw fail(error.description, code: 2)
            }
        }
        let client: CircleClient
        do {
            client = try builder.build()
        } catch {
            throw fail(error.description, code: 2)
        }
        let result: PlayResult
        do {
            try await client.connect()
            if key != nil { try await client.authenticate() }
            result = try await client.play(source)
        } catch {
            await client.close()
            if case .execution = error { throw fail(error, code: 1) }
            throw fail(error, code: 3)
        }
        await client.close()
        if json {
            print(JSON.object(["output": .string(result.output), "logs": .array(result.logs.map(JSON.string))]).serialized)
        } else {
            for line in result.logs { FileHandle.standardError.write(Data((line + "\n").utf8)) }
            if !result.output.isEmpty { print(result.output) }
        }
    }

    private func fail(_ error: CircleClientError, code: Int32) -> ExitCode {
        guard json else { return fail(error.description, code: code) }
        var object: JSONObject = ["message": .string(error.description)]
        object["code"] = error.rpcCode.map { .int(Int64($0)) } ?? .null
        if case .execution(let failure) = error {
            object["kind"] = .string(failure.kind.description)
            object["message"] = .string(failure.message)
            object["line"] = failure.line.map { .int(Int64($0)) } ?? .null
            object["column"] = failure.column.map { .int(Int64($0)) } ?? .null
        }
        print(JSON.object(["error": .object(object)]).serialized)
        return ExitCode(code)
    }

    private func fail(_ message: String, code: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("circles play: \(message)\n".utf8))
        return ExitCode(code)
    }
}
