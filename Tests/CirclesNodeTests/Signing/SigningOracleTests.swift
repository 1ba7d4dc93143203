import CirclesTestSupport
import Codecs
import CircleClient
import CirclesCore
import Synchronization
import TestSupport
import Testing
import Transport
@testable import CirclesNode

/// The signing service is no oracle (SPEC 10, issue 16): whoever may call `POST /api/sign` gets
/// signatures in the signing domain only, which neither authenticate anyone nor answer a registration
/// challenge; and the reverse.
@Suite struct SigningOracleTests {
    /// `POST /api/sign` for `key` and `message`; the signature's bytes.
    static func signThroughTheAPI(_ rig: NodeRig, key: SignerKey, message: [UInt8]) async throws -> [UInt8] {
        let body = JSON.object(["public_key": .string(key.description), "message": .string(Base64.encode(message))]).serialized
        let reply = try await rig.post("/api/sign", headers: ["Content-Type": "application/json"], body: body)
        #expect(reply.status == 200, "\(reply.body)")
        return try #require(JSONParser.parse(reply.body)["signature"]?.stringValue.flatMap(Base64.decode))
    }

    /// The attacker may call /api/sign for a connected `circles signer`'s key and tries to log in to a
    /// circle as that key, having the signer sign the nonce, the bound message, or the bound message's
    /// Ethereum form: every attempt is refused.
    @Test(arguments: ["secp256k1", "ed25519"])
    func theOracleLoginIsRefused(kind: String) async throws {
        let service = SigningService()
        let rig = try NodeRig { options in
            options.authRequired = true
            options.routes.append { service.install(into: &$0, apiToken: nil) }
        }
        let key: SignerPrivateKey = kind == "secp256k1" ? .secp256k1(PrivateKey()) : .ed25519(Ed25519PrivateKey())
        let signer = CircleSigner(url: "ws://127.0.0.1:\(rig.port)/sign", key: key)
        try await signer.connect()
        defer { signer.close() }
        let victim = Hex.encode(key.publicKey.bytes)
        let messages: [(String, @Sendable (String) -> [UInt8])] = [
            ("the bare nonce", { Array($0.utf8) }),
            ("the bound message", { SignatureDomain.authentication(host: "127.0.0.1:\(rig.port)", circle: rig.circle, nonce: $0) }),
            ("the signing prefix stripped by hand", { Array("circles-sign:v1\n".utf8) + Array($0.utf8) }),
        ]
        for (name, message) in messages {
            let attacker = try await rig.connect()
            let nonce = try await attacker.call("fetch_nonce", ["pubkey": .string(victim)])["result"]?["nonce"]?.stringValue ?? ""
            let signature = try await Self.signThroughTheAPI(rig, key: key.publicKey, message: message(nonce))
            let reply = try await attacker.call("authenticate", ["pubkey": .string(victim), "signature": .string(Hex.encode(signature))])
            #expect(reply["error"]?["code"]?.intValue == -32002, "\(name): \(reply)")
            if reply["error"] != nil { #expect(await attacker.closeCode() == 1008, "\(name)") }
        }
        try await rig.stop()
    }

    /// The attacker introduces itself with the victim's key, passes the challenge to the victim's signer
    /// through /api/sign (as is, and as the full registration message it can compute) and answers with
    /// what comes back: refused; the victim stays registered on the same connection and gets the next
    /// request.
    @Test(arguments: ["secp256k1", "ed25519"])
    func theRegistrationTakeoverIsRefused(kind: String) async throws {
        let service = SigningService()
        let rig = try NodeRig { $0.routes.append { service.install(into: &$0, apiToken: nil) } }
        let url = "ws://127.0.0.1:\(rig.port)/sign"
        let key: SignerPrivateKey = kind == "secp256k1" ? .secp256k1(PrivateKey()) : .ed25519(Ed25519PrivateKey())
        let seen = Mutex<[[UInt8]]>([])
        let victim = CircleSigner(url: url, key: key) { event in
            if case .signed(_, let message, _) = event { seen.withLock { $0.append(message) } }
        }
        try await victim.connect()
        defer { victim.close() }
        let registered = try #require(await service.registry.connection(for: key.publicKey))
        for relayed in ["the challenge", "the registration message"] {
            let attacker = try await ScriptedSigner.connect(url, introduceAs: key.publicKey.description) { _, _, _ in .nothing }
            let challenge = try await attacker.waitForRequests(1)[0]
            let message = relayed == "the challenge" ? challenge.message
                : SignatureDomain.registration(host: attacker.host, key: key.publicKey.description, challenge: challenge.message)
            let signature = try await Self.signThroughTheAPI(rig, key: key.publicKey, message: message)
            attacker.respond(challenge.id, message: challenge.message, signature: signature)
            #expect(try await attacker.waitUntilClosed().code == WebSocketCloseCode.policyViolation, "\(relayed)")
            #expect(attacker.errors.first?.code == SigningProtocolError.challengeFailed, "\(relayed)")
            #expect(!attacker.isRegistered)
            #expect(await service.registry.connection(for: key.publicKey) == registered, "\(relayed)")
        }
        let next = Array("transfer 100 to bob".utf8)
        let signed = try await service.sendToSign(publicKey: key.publicKey, message: next)
        #expect(key.publicKey.verify(signature: signed.signature, message: signed.signedBytes))
        try await Wait.until(timeout: 60, "the victim signs the next request") { seen.withLock { $0.last } == next }
        try await rig.stop()
    }

    /// The reverse: signatures made for authentication or for a signing request do not answer a
    /// challenge, and a signer from before domain separation (signing the bare bytes) cannot register.
    @Test func noOtherDomainAnswersTheChallenge() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let key = SignerPrivateKey.ed25519(Ed25519PrivateKey())
        let answers: [(String, @Sendable (ScriptedSigner, [UInt8]) -> [UInt8])] = [
            ("raw", { _, challenge in key.sign(challenge) }),
            ("signing domain", { _, challenge in key.signRequest(challenge) }),
            ("bound authentication", { signer, challenge in
                key.sign(SignatureDomain.authentication(host: signer.host, circle: key.publicKey.description, nonce: Hex.encode(challenge))) }),
            ("legacy authentication", { _, challenge in key.sign(Array(Hex.encode(challenge).utf8)) }),
            ("registration for another host", { _, challenge in key.signChallenge(challenge, host: "evil.example") }),
        ]
        for (name, answer) in answers {
            let signer = try await ScriptedSigner.connect(fixture.url, introduceAs: key.publicKey.description) { _, _, _ in .nothing }
            let challenge = try await signer.waitForRequests(1)[0]
            signer.respond(challenge.id, message: challenge.message, signature: answer(signer, challenge.message))
            #expect(try await signer.waitUntilClosed().code == WebSocketCloseCode.policyViolation, "\(name)")
            #expect(signer.errors.first?.code == SigningProtocolError.challengeFailed, "\(name)")
        }
        #expect(await fixture.connection(for: key.publicKey) == nil)
        // The right domain registers.
        let good = try await fixture.registeredSigner(key) { _, _, _ in .sign(key) }
        try await Wait.until(timeout: 60, "the signer hears it is registered") { good.isRegistered }
    }

    /// A signature made for authentication (the bare nonce, or the bound message) does not pass as a
    /// signing-service answer for those same bytes: the service checks the signing domain.
    @Test func anAuthenticationSignatureIsNoSigningAnswer() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let key = SignerPrivateKey.secp256k1(PrivateKey())
        _ = try await ScriptedSigner.connect(fixture.url, key: key) { _, _, _ in .signRaw(key) }
        try await fixture.waitUntilRegistered(key.publicKey)
        let nonce = String(repeating: "5a", count: 32)
        for message in [Array(nonce.utf8), SignatureDomain.authentication(host: "127.0.0.1:1", circle: PrivateKey().publicKey.hex, nonce: nonce)] {
            await #expect(throws: SigningError.invalidSignature) { try await fixture.service.sendToSign(publicKey: key.publicKey, message: message) }
        }
    }
}
