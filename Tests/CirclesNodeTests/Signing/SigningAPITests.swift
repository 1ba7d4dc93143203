import Codecs
import CircleClient
import CirclesCore
import TestSupport
import Testing
import Transport
@testable import CirclesNode

/// `POST /api/sign` over real sockets, and who may call it.
@Suite struct SigningAPITests {
    private static func body(_ key: SignerKey, _ message: [UInt8]) -> String {
        JSON.object(["public_key": .string(key.description), "message": .string(Base64.encode(message))]).serialized
    }

    @Test func aLoopbackCallerGetsTheVerifiedSignature() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        for key in [SignerPrivateKey.secp256k1(PrivateKey()), .ed25519(Ed25519PrivateKey())] {
            let signer = CircleSigner(url: fixture.url, key: key)
            try await signer.connect()
            defer { signer.close() }
            let message = Array("transfer 5".utf8)
            // the key may be given in hex or base64
            for keyText in [key.publicKey.description, Base64.encode(key.publicKey.bytes)] {
                let body = JSON.object(["public_key": .string(keyText), "message": .string(Base64.encode(message))]).serialized
                let (status, json) = try await fixture.post(body)
                #expect(status == 200)
                #expect(json?["response"]?.stringValue == Base64.encode(message))
                let signature = try #require(json?["signature"]?.stringValue.flatMap(Base64.decode))
                #expect(signature.count == 64)
                #expect(key.publicKey.verify(signature: signature, message: SignatureDomain.signRequest(message)))
            }
        }
    }

    @Test func withATokenConfiguredTheBearerMustMatch() async throws {
        let fixture = try SigningFixture(apiToken: "s3cret-token")
        defer { fixture.stop() }
        let key = SignerPrivateKey.ed25519(Ed25519PrivateKey())
        let signer = CircleSigner(url: fixture.url, key: key)
        try await signer.connect()
        defer { signer.close() }
        let body = Self.body(key.publicKey, [1, 2])
        #expect(try await fixture.post(body, headers: ["Authorization: Bearer s3cret-token"]).status == 200)
        #expect(try await fixture.post(body, headers: ["Authorization: bearer s3cret-token"]).status == 200)
        let wrong = try await fixture.post(body, headers: ["Authorization: Bearer s3cret-tokeN"])
        #expect(wrong.status == 401)
        #expect(wrong.json?["error"]?.stringValue == "unauthorized")
        #expect(try await fixture.post(body, headers: ["Authorization: Basic czNjcmV0LXRva2Vu"]).status == 401)
        // loopback without credentials is still let in
        #expect(try await fixture.post(body).status == 200)
    }

    @Test func theTypedErrorsMapToStatuses() async throws {
        // 2 s: the silent signer's request waits it out; the others must answer within it on a loaded machine.
        let fixture = try SigningFixture { $0.requestTimeout = 2 }
        defer { fixture.stop() }
        // 404: nobody registered
        let nobody = try await fixture.post(Self.body(SignerPrivateKey.secp256k1(PrivateKey()).publicKey, [1]))
        #expect(nobody.status == 404)
        #expect(nobody.json?["error"]?.stringValue == "connection_not_found")
        // 504: a signer that never answers
        let silentKey = SignerPrivateKey.secp256k1(PrivateKey())
        let silent = try await fixture.registeredSigner(silentKey) { _, _, _ in .nothing }
        defer { silent.socket.close() }
        let timedOut = try await fixture.post(Self.body(silentKey.publicKey, [1]))
        #expect(timedOut.status == 504)
        #expect(timedOut.json?["error"]?.stringValue == "timeout")
        // 422: a bad signature
        let liarKey = SignerPrivateKey.ed25519(Ed25519PrivateKey())
        let liar = try await fixture.registeredSigner(liarKey) { _, _, _ in .signature([UInt8](repeating: 0, count: 64)) }
        defer { liar.socket.close() }
        let invalid = try await fixture.post(Self.body(liarKey.publicKey, [1]))
        #expect(invalid.status == 422)
        #expect(invalid.json?["error"]?.stringValue == "invalid_signature")
        // 422: the signer hangs up instead of answering
        let quitterKey = SignerPrivateKey.secp256k1(PrivateKey())
        let quitter = try await fixture.registeredSigner(quitterKey) { _, _, _ in .hangUp }
        let closed = try await fixture.post(Self.body(quitterKey.publicKey, [1]))
        #expect(closed.status == 422)
        #expect(closed.json?["error"]?.stringValue == "channel_closed")
        _ = try await quitter.waitUntilClosed()
    }

    @Test func aSignerWithTooManyRequestsWaitingRefusesMoreWith429() async throws {
        let fixture = try SigningFixture { $0.maxPendingPerSigner = 2 }
        defer { fixture.stop() }
        let key = SignerPrivateKey.secp256k1(PrivateKey())
        let signer = try await fixture.registeredSigner(key) { _, _, _ in .nothing }
        let waiting = (0..<2).map { index in
            Task { () -> SigningError? in
                do throws(SigningError) {
                    _ = try await fixture.service.sendToSign(publicKey: key.publicKey, message: [UInt8(index)], timeout: 120)
                    return nil
                } catch {
                    return error
                }
            }
        }
        try await Wait.until(timeout: 60, "two requests waiting") { await fixture.service.registry.pendingCount == 2 }
        await #expect(throws: SigningError.signerBusy) {
            try await fixture.service.sendToSign(publicKey: key.publicKey, message: [9], timeout: 120)
        }
        let busy = try await fixture.post(Self.body(key.publicKey, [9]))
        #expect(busy.status == 429)
        #expect(busy.json?["error"]?.stringValue == "signer_busy")
        // The waiting ones are untouched: they end when the signer goes, not before.
        #expect(await fixture.service.registry.pendingCount == 2)
        signer.socket.close()
        for request in waiting { #expect(await request.value == SigningError.channelClosed) }
        #expect(await fixture.service.registry.pendingCount == 0)
    }

    @Test func badBodiesAre400() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let key = PrivateKey().publicKey.hex
        let cases: [(String, String)] = [
            ("{not json", "invalid_json"),
            ("", "invalid_json"),
            ("[]", "invalid_message"),
            (#"{"public_key": "\#(key)"}"#, "invalid_message"),
            (#"{"message": "AA=="}"#, "invalid_message"),
            (#"{"public_key": "\#(key)", "message": 5}"#, "invalid_message"),
            (#"{"public_key": "\#(key)", "message": "not base64!"}"#, "invalid_message"),
            (#"{"public_key": "abcd", "message": "AA=="}"#, "invalid_public_key"),
            (#"{"public_key": "02\#(String(repeating: "0", count: 64))", "message": "AA=="}"#, "invalid_public_key"),
        ]
        for (body, code) in cases {
            let (status, json) = try await fixture.post(body)
            #expect(status == 400, "\(body)")
            #expect(json?["error"]?.stringValue == code, "\(body)")
            #expect(json?["message"]?.stringValue?.isEmpty == false)
        }
        // other methods are not routes of the API
        let socket = try BlockingSocket(port: fixture.server.port)
        socket.send("GET /api/sign HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(String(decoding: await socket.readToEnd(), as: UTF8.self).hasPrefix("HTTP/1.1 405"))
    }

    // MARK: Access decisions (a remote peer cannot be made on loopback, so these are checked directly)

    @Test func remotePeersNeedTheToken() {
        #expect(SigningAccess.decide(peerHost: "10.0.0.7", authorization: nil, token: nil)
            == .forbidden("only loopback clients may call the signing API (no API token is configured)"))
        #expect(SigningAccess.decide(peerHost: "10.0.0.7", authorization: "Bearer t", token: nil) != .allowed)
        #expect(SigningAccess.decide(peerHost: "10.0.0.7", authorization: nil, token: "") != .allowed)
        #expect(SigningAccess.decide(peerHost: "10.0.0.7", authorization: nil, token: "t") == .unauthorized("a bearer token is required"))
        #expect(SigningAccess.decide(peerHost: "10.0.0.7", authorization: "Bearer t", token: "t") == .allowed)
        #expect(SigningAccess.decide(peerHost: "10.0.0.7", authorization: "Bearer  t", token: "t") == .allowed)
        #expect(SigningAccess.decide(peerHost: "10.0.0.7", authorization: "Bearer u", token: "t") == .unauthorized("invalid bearer token"))
        #expect(SigningAccess.decide(peerHost: "10.0.0.7", authorization: "Bearer", token: "t") == .unauthorized("invalid bearer token"))
        #expect(SigningAccess.decide(peerHost: "10.0.0.7", authorization: "t", token: "t") == .unauthorized("invalid bearer token"))
        // a wrong token is refused even from loopback
        #expect(SigningAccess.decide(peerHost: "127.0.0.1", authorization: "Bearer u", token: "t") == .unauthorized("invalid bearer token"))
    }

    @Test func loopbackAddresses() {
        for host in ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "::FFFF:127.0.0.1"] {
            #expect(SigningAccess.isLoopback(host), "\(host)")
        }
        for host in ["10.0.0.1", "128.0.0.1", "::2", "::ffff:10.0.0.1", "fe80::1", "1270.0.0.1", ""] {
            #expect(!SigningAccess.isLoopback(host), "\(host)")
        }
    }
}
