import Codecs
import CircleClient
import CirclesCore
import Synchronization
import TestSupport
import Testing
import Transport
@testable import CirclesNode

/// The signing service end to end over real sockets: signers (ours, and scripted misbehaving ones)
/// connect to `/sign` on 127.0.0.1 and the test calls `sendToSign`.
@Suite struct SigningServiceTests {
    // MARK: Both key types

    @Test func secp256k1SignerSignsAndTheSignatureVerifies() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let key = SignerPrivateKey.secp256k1(PrivateKey())
        let events = Mutex<[SignerEvent]>([])
        let signer = CircleSigner(url: fixture.url, key: key) { event in events.withLock { $0.append(event) } }
        try await signer.connect()
        defer { signer.close() }
        let message = Array("pay 10 to bob".utf8)
        let signed = try await fixture.service.sendToSign(publicKey: key.publicKey, message: message)
        #expect(signed.message == message)
        #expect(signed.signature.count == 64)
        #expect(signed.publicKey == key.publicKey)
        guard case .secp256k1(let publicKey) = key.publicKey else { Issue.record("not secp256k1"); return }
        #expect(throws: Never.self) { try Signatures.verify(signature: signed.signature, message: signed.signedBytes, publicKey: publicKey) }
        #expect(throws: IdentityError.self) { try Signatures.verify(signature: signed.signature, message: message, publicKey: publicKey) }
        // the signer reports a request just after answering it
        try await Wait.until(timeout: 60, "the signer reports the request") { events.withLock { $0.count } == 3 }
        let seen = events.withLock { $0 }
        // the challenge, the registration, then the request
        #expect(seen[1] == .registered(publicKey: key.publicKey.description))
        guard case .signed(_, let reported, let signature) = seen.last else { Issue.record("no signed event: \(seen)"); return }
        #expect(reported == message)
        #expect(signature == signed.signature)
    }

    @Test func ed25519SignerIntroducedInBase64SignsTheMessageItself() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let ed = Ed25519PrivateKey()
        let key = SignerPrivateKey.ed25519(ed)
        let signer = CircleSigner(url: fixture.url, key: key, base64Introduction: true)
        try await signer.connect()
        defer { signer.close() }
        #expect(key.publicKey.bytes.count == 32)
        for message in [Array("hello".utf8), [], [UInt8](repeating: 0xAB, count: 100_000)] {
            let signed = try await fixture.service.sendToSign(publicKey: key.publicKey, message: message)
            #expect(signed.message == message)
            #expect(signed.signature == ed.sign(Array("circles-sign:v1\n".utf8) + message))
            #expect(ed.publicKey.verify(signature: signed.signature, message: signed.signedBytes))
        }
    }

    @Test func noSignerMeansConnectionNotFound() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        await #expect(throws: SigningError.connectionNotFound) {
            try await fixture.service.sendToSign(publicKey: SignerPrivateKey.ed25519(Ed25519PrivateKey()).publicKey, message: [1])
        }
    }

    // MARK: Matching by request id

    @Test func hundredConcurrentRequestsToOneSignerAreMatchedById() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let key = SignerPrivateKey.secp256k1(PrivateKey())
        let signer = CircleSigner(url: fixture.url, key: key)
        try await signer.connect()
        defer { signer.close() }
        let service = fixture.service
        try await withThrowingTaskGroup(of: (Int, SignedMessage).self) { group in
            for index in 0..<100 {
                group.addTask { (index, try await service.sendToSign(publicKey: key.publicKey, message: Array("request \(index)".utf8))) }
            }
            var seen = Set<Int>()
            for try await (index, signed) in group {
                #expect(signed.message == Array("request \(index)".utf8))
                #expect(key.publicKey.verify(signature: signed.signature, message: signed.signedBytes))
                seen.insert(index)
            }
            #expect(seen.count == 100)
        }
        #expect(await fixture.service.registry.pendingCount == 0)
    }

    @Test func answersInReverseOrderReachTheirOwnCallers() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let key = SignerPrivateKey.ed25519(Ed25519PrivateKey())
        let signer = try await fixture.registeredSigner(key) { _, _, _ in .nothing }
        defer { signer.socket.close() }
        let service = fixture.service
        try await withThrowingTaskGroup(of: (Int, SignedMessage).self) { group in
            for index in 0..<20 {
                group.addTask { (index, try await service.sendToSign(publicKey: key.publicKey, message: [UInt8(index)])) }
            }
            // 1 challenge + 20 requests, answered last first
            let requests = try await signer.waitForRequests(21).dropFirst()
            for request in requests.reversed() { signer.respond(request.id, message: request.message, signature: key.signRequest(request.message)) }
            for try await (index, signed) in group { #expect(signed.message == [UInt8(index)]) }
        }
        #expect(Set(signer.requests.map(\.id)).count == 21)
    }

    // MARK: Timeouts and bad answers

    @Test func aSignerThatDoesNotAnswerTimesOutAndItsLateAnswerIsIgnored() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let key = SignerPrivateKey.secp256k1(PrivateKey())
        let signer = try await fixture.registeredSigner(key) { _, _, _ in .nothing }
        defer { signer.socket.close() }
        let start = Wait.now()
        await #expect(throws: SigningError.timeout) {
            try await fixture.service.sendToSign(publicKey: key.publicKey, message: [7], timeout: 0.2)
        }
        #expect(Wait.now() - start >= 0.19)
        #expect(await fixture.service.registry.pendingCount == 0)
        let late = try #require(try await signer.waitForRequests(2).last)
        signer.respond(late.id, message: late.message, signature: key.signRequest(late.message))
        try await Wait.until(timeout: 60, "the late answer is ignored") { await fixture.service.registry.ignoredResponses == 1 }
        #expect(await fixture.connection(for: key.publicKey) != nil)
    }

    @Test func aRegisteredSignerReturningABadSignatureIsInvalid() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let key = SignerPrivateKey.secp256k1(PrivateKey())
        let other = SignerPrivateKey.secp256k1(PrivateKey())
        let signer = try await fixture.registeredSigner(key) { index, _, _ in
            switch index {
            case 1: .sign(other)
            case 2: .signature([1, 2, 3])
            case 3: .signature(key.signRequest([0xFF]))  // a valid signature of another message
            default: .nothing
            }
        }
        defer { signer.socket.close() }
        for _ in 1...3 {
            await #expect(throws: SigningError.invalidSignature) {
                try await fixture.service.sendToSign(publicKey: key.publicKey, message: [1, 2, 3])
            }
        }
        // an answer echoing another message, and one whose signature is not base64, fail at once too
        let service = fixture.service
        let echoed = Task { try await service.sendToSign(publicKey: key.publicKey, message: [4]) }
        let echoRequest = try #require(try await signer.waitForRequests(5).last)
        signer.respond(echoRequest.id, message: [5], signature: key.signRequest([4]))
        await #expect(throws: SigningError.invalidSignature) { try await echoed.value }
        let garbled = Task { try await service.sendToSign(publicKey: key.publicKey, message: [6]) }
        let garbledRequest = try #require(try await signer.waitForRequests(6).last)
        signer.send(#"{"type":"sign_response","request_id":"\#(garbledRequest.id)","signature":"%%%"}"#)
        await #expect(throws: SigningError.invalidSignature) { try await garbled.value }
        #expect(try await signer.waitForErrors(1).first?.requestId == garbledRequest.id)
        // still registered and usable
        #expect(await fixture.connection(for: key.publicKey) != nil)
    }

    // MARK: Registration

    @Test func aSignerWithTheWrongKeyIsRejectedAtTheChallenge() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let claimed = SignerPrivateKey.ed25519(Ed25519PrivateKey())
        let actual = SignerPrivateKey.ed25519(Ed25519PrivateKey())
        let signer = try await ScriptedSigner.connect(fixture.url, introduceAs: claimed.publicKey.description) { _, _, _ in .sign(actual) }
        let closed = try await signer.waitUntilClosed()
        #expect(closed.code == WebSocketCloseCode.policyViolation)
        #expect(signer.errors.map(\.code) == [SigningProtocolError.challengeFailed])
        #expect(!signer.isRegistered)
        #expect(await fixture.connection(for: claimed.publicKey) == nil)
        await #expect(throws: SigningError.connectionNotFound) { try await fixture.service.sendToSign(publicKey: claimed.publicKey, message: [1]) }
        // our client's own failure to connect is a typed error
        let closedPort = try FreePort.next()
        await #expect {
            try await CircleSigner(url: "ws://127.0.0.1:\(closedPort)/sign", key: actual).connect()
        } throws: { error in
            guard case CircleSignerError.connectFailed = error else { return false }
            return true
        }
    }

    @Test func claimingSomeoneElsesKeyNeitherRegistersNorDisplacesThem() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let victimKey = SignerPrivateKey.secp256k1(PrivateKey())
        let signed = Mutex(0)
        let victim = CircleSigner(url: fixture.url, key: victimKey) { event in
            if case .signed = event { signed.withLock { $0 += 1 } }
        }
        try await victim.connect()
        defer { victim.close() }
        let registered = try await fixture.waitUntilRegistered(victimKey.publicKey)
        // the impostor introduces itself with the victim's key (in base64) and can only sign with its own
        let impostor = try await ScriptedSigner.connect(fixture.url, introduceAs: Base64.encode(victimKey.publicKey.bytes)) { _, _, _ in
            .sign(.secp256k1(PrivateKey()))
        }
        #expect(try await impostor.waitUntilClosed().code == WebSocketCloseCode.policyViolation)
        #expect(impostor.errors.first?.code == SigningProtocolError.challengeFailed)
        // nor can it replay someone's old signature: each challenge is fresh random bytes
        let replayer = try await ScriptedSigner.connect(fixture.url, introduceAs: victimKey.publicKey.description) { _, _, _ in
            .signature(victimKey.signChallenge(impostor.requests[0].message, host: impostor.host))
        }
        #expect(try await replayer.waitUntilClosed().code == WebSocketCloseCode.policyViolation)
        #expect(replayer.requests[0].message != impostor.requests[0].message)
        #expect(await fixture.connection(for: victimKey.publicKey) == registered)
        _ = try await fixture.service.sendToSign(publicKey: victimKey.publicKey, message: [42])
        // the victim signed its challenge and this request
        try await Wait.until(timeout: 60, "the victim reports two signatures") { signed.withLock { $0 } == 2 }
    }

    @Test func aNewerVerifiedConnectionReplacesTheOlderOne() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let key = SignerPrivateKey.ed25519(Ed25519PrivateKey())
        let older = try await ScriptedSigner.connect(fixture.url, key: key) { _, _, _ in .nothing }
        let first = try await fixture.waitUntilRegistered(key.publicKey)
        let service = fixture.service
        let stranded = Task { try await service.sendToSign(publicKey: key.publicKey, message: [1]) }
        _ = try await older.waitForRequests(2)
        let newerSigned = Mutex<[[UInt8]]>([])
        let newer = CircleSigner(url: fixture.url, key: key) { event in
            if case .signed(_, let message, _) = event { newerSigned.withLock { $0.append(message) } }
        }
        try await newer.connect()
        defer { newer.close() }
        let second = try await fixture.waitUntilRegistered(key.publicKey, replacing: first)
        #expect(second != first)
        let closed = try await older.waitUntilClosed()
        #expect(closed.code == 4000)
        await #expect(throws: SigningError.channelClosed) { try await stranded.value }
        let signed = try await fixture.service.sendToSign(publicKey: key.publicKey, message: [2])
        #expect(signed.message == [2])
        try await Wait.until(timeout: 60, "the newer signer reports the request") { newerSigned.withLock { $0.last } == [2] }
        try await Wait.until(timeout: 60, "the older connection is forgotten") { await fixture.service.registry.connectionCount == 1 }
    }

    @Test func aConnectionClosedMidRequestFailsWithChannelClosedAndIsRemovedAtOnce() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let key = SignerPrivateKey.secp256k1(PrivateKey())
        let signer = try await fixture.registeredSigner(key) { _, _, _ in .hangUp }
        await #expect(throws: SigningError.channelClosed) { try await fixture.service.sendToSign(publicKey: key.publicKey, message: [9]) }
        #expect(await fixture.connection(for: key.publicKey) == nil)
        await #expect(throws: SigningError.connectionNotFound) { try await fixture.service.sendToSign(publicKey: key.publicKey, message: [9]) }
        _ = try await signer.waitUntilClosed()
        // a clean close by our client is noticed just as well
        let polite = CircleSigner(url: fixture.url, key: key)
        try await polite.connect()
        try await fixture.waitUntilRegistered(key.publicKey)
        polite.close()
        #expect(await polite.waitUntilClosed().code == WebSocketCloseCode.normal)
        try await Wait.until(timeout: 60, "the closed connection is removed") { await fixture.connection(for: key.publicKey) == nil }
        #expect(await fixture.service.registry.connectionCount == 0)
    }

    @Test func aCancelledCallerStopsWaiting() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let key = SignerPrivateKey.ed25519(Ed25519PrivateKey())
        let signer = try await fixture.registeredSigner(key) { _, _, _ in .nothing }
        defer { signer.socket.close() }
        let service = fixture.service
        let waiting = Task { try await service.sendToSign(publicKey: key.publicKey, message: [3]) }
        _ = try await signer.waitForRequests(2)
        waiting.cancel()
        await #expect(throws: SigningError.cancelled) { try await waiting.value }
        #expect(await fixture.service.registry.pendingCount == 0)
    }

    // MARK: Bad input

    @Test func anUnknownRequestIdIsIgnored() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let key = SignerPrivateKey.secp256k1(PrivateKey())
        let signer = try await fixture.registeredSigner(key) { _, _, _ in .sign(key) }
        defer { signer.socket.close() }
        signer.respond("no-such-request", message: [1], signature: key.signRequest([1]))
        try await Wait.until(timeout: 60, "the answer is ignored") { await fixture.service.registry.ignoredResponses == 1 }
        let signed = try await fixture.service.sendToSign(publicKey: key.publicKey, message: [1])
        #expect(signed.message == [1])
        #expect(signer.errors.isEmpty)
    }

    @Test func badMessagesGetClearErrorsAndLeaveEveryoneElseAlone() async throws {
        let fixture = try SigningFixture()
        defer { fixture.stop() }
        let goodKey = SignerPrivateKey.ed25519(Ed25519PrivateKey())
        let good = CircleSigner(url: fixture.url, key: goodKey)
        try await good.connect()
        defer { good.close() }
        let key = SignerPrivateKey.secp256k1(PrivateKey())
        let noisy = try await ScriptedSigner.connect(fixture.url) { _, _, _ in .sign(key) }
        defer { noisy.socket.close() }
        let inputs = [
            "not json",
            "[1, 2]",
            #"{"public_key": "00"}"#,
            #"{"type": "hello"}"#,
            #"{"type": "introduction"}"#,
            #"{"type": "introduction", "public_key": "zz"}"#,
            #"{"type": "introduction", "public_key": "0011"}"#,
            #"{"type": "sign_request", "request_id": "1", "message": "AA=="}"#,
            #"{"type": "sign_response", "signature": "AA=="}"#,
        ]
        for input in inputs { noisy.send(input) }
        noisy.socket.send(binary: [1, 2, 3])
        let errors = try await noisy.waitForErrors(inputs.count + 1)
        #expect(errors.map(\.code) == [
            SigningProtocolError.invalidJSON, SigningProtocolError.invalidMessage, SigningProtocolError.invalidMessage,
            SigningProtocolError.unknownType, SigningProtocolError.invalidMessage, SigningProtocolError.invalidPublicKey,
            SigningProtocolError.invalidPublicKey, SigningProtocolError.invalidMessage, SigningProtocolError.invalidMessage,
            SigningProtocolError.invalidMessage,
        ])
        #expect(errors[0].message.hasPrefix("not JSON"))
        #expect(errors[3].message.contains("hello"))
        #expect(noisy.closed == nil)
        // the good signer never noticed
        _ = try await fixture.service.sendToSign(publicKey: goodKey.publicKey, message: [1])
        // and the noisy connection can still register, once
        noisy.send(SigningMessage.introduction(publicKey: key.publicKey.description).text)
        try await fixture.waitUntilRegistered(key.publicKey)
        noisy.send(SigningMessage.introduction(publicKey: key.publicKey.description).text)
        #expect(try await noisy.waitForErrors(inputs.count + 2).last?.code == SigningProtocolError.alreadyIntroduced)
        _ = try await fixture.service.sendToSign(publicKey: key.publicKey, message: [2])
    }

    @Test func aConnectionThatNeverAnswersTheChallengeIsClosed() async throws {
        let fixture = try SigningFixture { $0.handshakeTimeout = 0.2 }
        defer { fixture.stop() }
        let silent = try await ScriptedSigner.connect(fixture.url) { _, _, _ in .nothing }
        let stalled = try await ScriptedSigner.connect(fixture.url, introduceAs: PrivateKey().publicKey.hex) { _, _, _ in .nothing }
        for connection in [silent, stalled] {
            #expect(try await connection.waitUntilClosed().code == WebSocketCloseCode.policyViolation)
            #expect(connection.errors.map(\.code) == [SigningProtocolError.handshakeTimeout])
        }
        try await Wait.until(timeout: 60, "both are forgotten") { await fixture.service.registry.connectionCount == 0 }
    }
}
