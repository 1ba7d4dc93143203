import Codecs
import CircleClient
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode

/// `circles signer` as a process, against a service in the test.
@Suite struct SignerCommandTests {
    /// The `circles` executable of this checkout's debug build.
    private static var executable: String? { CirclesBinary.shouldRun ? CirclesBinary.path : nil }

    @Test(.enabled(if: executable != nil, "the circles executable is not built"), arguments: [false, true])
    func theCommandSignsPrintsAndStopsWhenReplaced(ed25519: Bool) async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let key: SignerPrivateKey = ed25519 ? .ed25519(Ed25519PrivateKey()) : .secp256k1(PrivateKey())
        let secret = switch key {
        case .secp256k1(let secp): secp.hex
        case .ed25519(let ed): Hex.encode(ed.seed)
        }
        let directory = try TemporaryDirectory.make(prefix: "circles-signer-command")
        try (secret + "\n").write(toFile: directory + "/key", atomically: true, encoding: .utf8)
        let log = directory + "/out.log"
        let child = try ChildProcess(Self.executable!,
                                     ["signer", "--url", fixture.url, "--key", directory + "/key"] + (ed25519 ? ["--ed25519"] : []), log: log)
        try await fixture.waitUntilRegistered(key.publicKey)
        let signed = try await fixture.service.sendToSign(publicKey: key.publicKey, message: Array("hello".utf8))
        #expect(key.publicKey.verify(signature: signed.signature, message: signed.signedBytes))
        // a newer signer for the same key takes over; the command says so and exits with 1
        let newer = CircleSigner(url: fixture.url, key: key)
        try await newer.connect()
        defer { newer.close() }
        let status = await onDedicatedThread { child.wait() }
        #expect(ChildProcess.exitCode(of: status) == 1)
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(output.contains("registered as \(key.publicKey.description)"), "\(output)")
        #expect(output.contains(": 5 bytes \"hello\" -> \(Hex.encode(signed.signature))"), "\(output)")
        #expect(output.contains("connection closed (4000: replaced by a newer connection for this key)"), "\(output)")
    }

    @Test(.enabled(if: executable != nil, "the circles executable is not built"))
    func aBadKeyFileIsAUsageError() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-signer-command")
        try "not a key".write(toFile: directory + "/key", atomically: true, encoding: .utf8)
        let log = directory + "/out.log"
        let child = try ChildProcess(Self.executable!, ["signer", "--url", "ws://127.0.0.1:1/sign", "--key", directory + "/key"], log: log)
        let status = await onDedicatedThread { child.wait() }
        #expect(ChildProcess.exitCode(of: status) != 0)
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(output.contains("invalid private key"), "\(output)")
    }
}
