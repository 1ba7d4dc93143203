import CircleClient
import CirclesCore
import CirclesTestSupport
import Foundation
import TestSupport
import Testing

/// `circles keygen` and `circles play` as processes (the built `.build/debug/circles`) against a real node.
@Suite(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build)"))
struct CirclesCommandTests {
    @Test func keygenMakesEd25519KeysThatPlayAuthenticatesWith() async throws {
        let file = try TemporaryDirectory.make(prefix: "circles-keygen") + "/ed.key"
        let made = try await CirclesCommand.run(["keygen", "--ed25519", "--out", file])
        #expect(made.status == 0, "\(made)")
        let key = try CallerPrivateKey(contentsOfFile: file, ed25519: true)
        #expect(made.stdout == key.publicKey.hex + "\n")
        #expect(key.publicKey.hex.utf8.count == 64)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "ed25519:" + key.hex + "\n")
        let shown = try await CirclesCommand.run(["keygen", "--show", file])
        #expect(shown.stdout == key.publicKey.hex + "\n")
        // The plain seed is read as Ed25519 only when told.
        let plain = file + ".plain"
        try (key.hex + "\n").write(toFile: plain, atomically: false, encoding: .utf8)
        #expect(chmod(plain, 0o600) == 0)
        #expect(try await CirclesCommand.run(["keygen", "--show", plain, "--ed25519"]).stdout == key.publicKey.hex + "\n")
        #expect(try await CirclesCommand.run(["keygen", "--show", plain]).stdout != key.publicKey.hex + "\n")
        let rig = try NodeRig { $0.authRequired = true; $0.requireBoundAuth = true }
        let played = try await CirclesCommand.run(["play", "--url", rig.url, "--key", file, "-e", "CALLER_PUBLIC_KEY"])
        #expect(played.status == 0, "\(played)")
        #expect(played.stdout == key.publicKey.hex + "\n")
        try await rig.stop()
    }

    @Test func keygenWritesAPrivateKeyWithMode0600AndPrintsThePublicKey() async throws {
        let file = try TemporaryDirectory.make(prefix: "circles-keygen") + "/me.key"
        let made = try await CirclesCommand.run(["keygen", "--out", file])
        #expect(made.status == 0)
        let key = try PrivateKey(contentsOfFile: file)
        #expect(made.stdout == key.publicKey.hex + "\n")
        var info = stat()
        #expect(stat(file, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text == key.hex + "\n")

        let again = try await CirclesCommand.run(["keygen", "--out", file])
        #expect(again.status == 1)
        #expect(again.stderr.contains("exists already"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == text)

        let shown = try await CirclesCommand.run(["keygen", "--show", file])
        #expect(shown.status == 0 && shown.stdout == key.publicKey.hex + "\n")

        let printed = try await CirclesCommand.run(["keygen"])
        let lines = printed.stdout.split(separator: "\n").map(String.init)
        #expect(printed.status == 0 && lines.count == 2)
        #expect(try PrivateKey(hex: lines.first ?? "").publicKey.hex == lines.last)
    }

    @Test func playRunsAScriptFromTheCommandLineAFileOrStdin() async throws {
        let rig = try NodeRig { $0.authRequired = true }
        let directory = try TemporaryDirectory.make(prefix: "circles-play")
        let keyFile = directory + "/me.key"
        let key = PrivateKey()
        try key.write(toFile: keyFile)

        let inline = try await CirclesCommand.run(["play", "--url", rig.url, "--key", keyFile, "-e", #"print("hi " + CALLER_PUBLIC_KEY); 40 + 2"#])
        #expect(inline.status == 0)
        #expect(inline.stdout == "42\n")
        #expect(inline.stderr == "hi \(key.publicKey.hex)\n")

        let script = directory + "/script.rhai"
        try "let a = [1, 2, 3];\na.len()".write(toFile: script, atomically: false, encoding: .utf8)
        let fromFile = try await CirclesCommand.run(["play", "--url", rig.url, "--key", keyFile, script])
        #expect(fromFile.status == 0 && fromFile.stdout == "3\n")

        let fromStdin = try await CirclesCommand.run(["play", "--url", rig.url, "--key", keyFile, "-"], stdin: #""from stdin""#)
        #expect(fromStdin.status == 0 && fromStdin.stdout == "from stdin\n")

        let json = try await CirclesCommand.run(["play", "--url", rig.url, "--key", keyFile, "--json", "-e", #"print("x"); 7"#])
        #expect(json.status == 0)
        #expect(try JSONParser.parse(json.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == ["output": "7", "logs": ["x"]])
        try await rig.stop()
    }

    @Test func playExitsNonZeroWithTheErrorMessage() async throws {
        let rig = try NodeRig { $0.authRequired = true }
        let directory = try TemporaryDirectory.make(prefix: "circles-play")
        let keyFile = directory + "/me.key"
        try PrivateKey().write(toFile: keyFile)

        let failing = try await CirclesCommand.run(["play", "--url", rig.url, "--key", keyFile, "-e", "let x = 1;\nx + nope"])
        #expect(failing.status == 1)
        #expect(failing.stdout.isEmpty)
        #expect(failing.stderr.contains("runtime error at line 2"))

        let parse = try await CirclesCommand.run(["play", "--url", rig.url, "--key", keyFile, "--json", "-e", "let x = ;"])
        #expect(parse.status == 1)
        let error = try JSONParser.parse(parse.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["error"]
        #expect(error?["kind"] == "parse" && error?["line"] == 1 && error?["column"] == 9 && error?["code"] == -32000)

        let anonymous = try await CirclesCommand.run(["play", "--url", rig.url, "-e", "1"])
        #expect(anonymous.status == 3)
        #expect(anonymous.stderr.contains("authentication required"))

        let missingKey = try await CirclesCommand.run(["play", "--url", rig.url, "--key", directory + "/nope.key", "-e", "1"])
        #expect(missingKey.status == 2)
        #expect(missingKey.stderr.contains("cannot read the key file"))

        let badURL = try await CirclesCommand.run(["play", "--url", "http://nowhere", "-e", "1"])
        #expect(badURL.status == 2 && badURL.stderr.contains("invalid circle URL"))

        let unknownCircle = try await CirclesCommand.run(["play", "--url", "ws://127.0.0.1:\(rig.port)/\(PrivateKey().publicKey.hex)", "-e", "1"])
        #expect(unknownCircle.status == 3 && unknownCircle.stderr.contains("HTTP 404"))

        let noScript = try await CirclesCommand.run(["play", "--url", rig.url])
        #expect(noScript.status != 0 && noScript.stderr.contains("give exactly one of -e SCRIPT, FILE or -"))
        try await rig.stop()

        let refused = try await CirclesCommand.run(["play", "--url", rig.url, "-e", "1"])
        #expect(refused.status == 3 && refused.stderr.contains("cannot connect"))
    }
}
