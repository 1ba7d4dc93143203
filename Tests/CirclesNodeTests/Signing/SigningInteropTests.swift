import Codecs
import CircleClient
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode

/// An independent signer in Python (websockets, coincurve, cryptography: Tests/Interop/signer_peer.py)
/// registers with our service and signs for it; skipped when python3 or those packages are missing.
@Suite struct SigningInteropTests {
    @Test(.enabled("python3 with websockets, coincurve and cryptography") { await pythonSignerAvailable() },
          arguments: [("secp256k1", "hex"), ("ed25519", "base64"), ("secp256k1", "base64"), ("ed25519", "hex")])
    func aPythonSignerSignsForOurService(kind: String, encoding: String) async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let key: SignerPrivateKey = kind == "secp256k1" ? .secp256k1(PrivateKey()) : .ed25519(Ed25519PrivateKey())
        let secret = switch key {
        case .secp256k1(let secp): secp.hex
        case .ed25519(let ed): Hex.encode(ed.seed)
        }
        let messages: [[UInt8]] = [Array("hello from swift".utf8), [], Array(0...255), [UInt8](repeating: 7, count: 50_000)]
        let log = try TemporaryDirectory.make(prefix: "circles-signer") + "/signer.log"
        let child = try ChildProcess(try Executables.find("python3"),
                                     [Python.interopDirectory + "/signer_peer.py", fixture.url, kind, secret, encoding, "\(messages.count + 1)"],
                                     log: log)
        // Python derives the public key on its own: it registers under ours only if both agree
        try await fixture.waitUntilRegistered(key.publicKey)
        for message in messages {
            let signed = try await fixture.service.sendToSign(publicKey: key.publicKey, message: message)
            #expect(signed.message == message)
            #expect(signed.signature.count == 64)
        }
        let status = await onDedicatedThread { child.wait() }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(ChildProcess.exitCode(of: status) == 0, "\(output)")
        let summary = try #require(output.split(separator: "\n").last.flatMap { try? JSONParser.parse(String($0)) }, "\(output)")
        #expect(summary["signed"]?.intValue == Int64(messages.count + 1))
        #expect(summary["registered"]?.stringValue == key.publicKey.description)
        #expect(summary["errors"]?.arrayValue?.isEmpty == true)
        try await Wait.until(timeout: 60, "the Python signer is unregistered") { await fixture.connection(for: key.publicKey) == nil }
    }
}

private func pythonSignerAvailable() async -> Bool {
    guard let python = try? Executables.find("python3") else { return false }
    return await onDedicatedThread {
        guard let child = try? ChildProcess(python, ["-c", "import websockets.sync.client, coincurve, cryptography"]) else { return false }
        return ChildProcess.exitCode(of: child.wait()) == 0
    }
}
