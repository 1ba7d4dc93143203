import Codecs
import CircleClient
import CirclesCore
import Foundation
import TestSupport
import Testing
import Transport
@testable import CirclesNode

/// Two signing services (two nodes) joined through one real redis-server: SPEC 10 across nodes.
@Suite struct SigningClusterTests {
    private static let secret = TaskSecret.generate()

    private static func node(_ redis: RedisServer, ttl: Double = 10, secret: TaskSecret? = Self.secret)
        async throws -> (SigningFixture, RedisClient) {
        let fixture = try SigningFixture { $0.clusterTTL = ttl }
        let client = try RedisClient(redis.url, connections: 2)
        await fixture.service.join(redis: client, secret: secret)
        return (fixture, client)
    }

    private static func signBody(_ key: SignerPrivateKey, _ message: [UInt8]) -> String {
        JSON.object(["public_key": .string(key.publicKey.description), "message": .string(Base64.encode(message))]).serialized
    }

    @Test func aSignerOnOneNodeAnswersTheAPIOfAnother() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        let (a, clientA) = try await Self.node(redis)
        let (b, clientB) = try await Self.node(redis)
        let key = SignerPrivateKey.secp256k1(PrivateKey())
        let signer = CircleSigner(url: a.url, key: key)
        try await signer.connect()
        try await a.waitUntilRegistered(key.publicKey)
        // The directory names A once its claim is written.
        try await Wait.until(timeout: 30, "the directory to name node A") {
            (try? await clientB.send(["EXISTS", SigningCluster.directoryKey(key.publicKey)]))?.integer == 1
        }
        let reply = try await b.post(Self.signBody(key, [1, 2, 3]))
        #expect(reply.status == 200, "\(String(describing: reply.json))")
        let signature = try #require(reply.json?["signature"]?.stringValue.flatMap(Base64.decode))
        #expect(key.publicKey.verify(signature: signature, message: SignatureDomain.signRequest([1, 2, 3])))
        // sendToSign on B verifies what came back through A.
        let signed = try await b.service.sendToSign(publicKey: key.publicKey, message: [9])
        #expect(key.publicKey.verify(signature: signed.signature, message: SignatureDomain.signRequest([9])))
        // A key nobody registered is still 404 on B.
        let unknown = try await b.post(Self.signBody(SignerPrivateKey.secp256k1(PrivateKey()), [1]))
        #expect(unknown.status == 404)
        signer.close()
        _ = await signer.waitUntilClosed()
        try await Wait.until(timeout: 30, "A's registration to leave the directory") {
            (try? await clientB.send(["EXISTS", SigningCluster.directoryKey(key.publicKey)]))?.integer == 0
        }
        let gone = try await b.post(Self.signBody(key, [1]))
        #expect(gone.status == 404)
        await a.service.leave()
        await b.service.leave()
        a.stop(); b.stop()
        clientA.close(); clientB.close()
    }

    @Test func aNewerRegistrationOnAnotherNodeReplacesTheOlder() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        let (a, clientA) = try await Self.node(redis)
        let (b, clientB) = try await Self.node(redis)
        let key = SignerPrivateKey.ed25519(Ed25519PrivateKey())
        let first = CircleSigner(url: a.url, key: key)
        try await first.connect()
        try await a.waitUntilRegistered(key.publicKey)
        let second = CircleSigner(url: b.url, key: key)
        try await second.connect()
        try await b.waitUntilRegistered(key.publicKey)
        try await Wait.until(timeout: 30, "A to drop the key") { await a.connection(for: key.publicKey) == nil }
        let closure = await first.waitUntilClosed()
        #expect(closure.code == SigningRegistry.replacedCloseCode)
        // Requests made on A now reach the signer on B.
        let reply = try await a.post(Self.signBody(key, [4, 5]))
        #expect(reply.status == 200, "\(String(describing: reply.json))")
        #expect(await b.connection(for: key.publicKey) != nil)
        second.close()
        _ = await second.waitUntilClosed()
        await a.service.leave()
        await b.service.leave()
        a.stop(); b.stop()
        clientA.close(); clientB.close()
    }

    @Test func theRegistrationsOfANodeThatDiesVanishWithinSeconds() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        let (a, clientA) = try await Self.node(redis, ttl: 2)
        let (b, clientB) = try await Self.node(redis, ttl: 2)
        let key = SignerPrivateKey.secp256k1(PrivateKey())
        let signer = CircleSigner(url: a.url, key: key)
        try await signer.connect()
        try await a.waitUntilRegistered(key.publicKey)
        // A registers the key locally first, then in the cluster's directory.
        try await Wait.until(timeout: 30, "the directory entry") {
            (try? await clientB.send(["EXISTS", SigningCluster.directoryKey(key.publicKey)]))?.integer == 1
        }
        // Heartbeats keep the entry past its TTL while A lives: present at every look for 1.5 TTLs.
        let (since, until) = (Wait.now(), Wait.now() + 3)
        var missing: Double?
        try await Wait.until(timeout: 30, "1.5 TTLs to pass with the entry there") {
            if (try? await clientB.send(["EXISTS", SigningCluster.directoryKey(key.publicKey)]))?.integer != 1, missing == nil {
                missing = Wait.now() - since
            }
            return Wait.now() >= until
        }
        #expect(missing == nil, "the entry was gone \(missing ?? 0) s after registration")
        // A "dies": its Redis traffic stops (no release, no heartbeat), the signer stays connected to it.
        clientA.close()
        let start = Wait.now()
        try await Wait.until(timeout: 30, "the dead node's registration to expire") {
            (try? await clientB.send(["EXISTS", SigningCluster.directoryKey(key.publicKey)]))?.integer == 0
        }
        #expect(Wait.now() - start < 10)
        let reply = try await b.post(Self.signBody(key, [1]))
        #expect(reply.status == 404)
        signer.close()
        _ = await signer.waitUntilClosed()
        await a.service.leave()
        await b.service.leave()
        a.stop(); b.stop()
        clientB.close()
    }

    @Test func busMessagesWithoutTheSecretAreDropped() {
        let secret = TaskSecret.generate()
        let key = SignerPrivateKey.secp256k1(PrivateKey()).publicKey
        let message = SigningBusMessage.evict(key: key)
        #expect(SigningBusMessage.decode(message.encoded(secret: secret), secret: secret) == message)
        #expect(SigningBusMessage.decode(message.encoded(secret: nil), secret: secret) == nil)
        #expect(SigningBusMessage.decode(message.encoded(secret: TaskSecret.generate()), secret: secret) == nil)
        let request = SigningBusMessage.request(id: "ab", key: key, message: [1], timeout: 5, replyTo: "rhailib:signing:00")
        #expect(SigningBusMessage.decode(request.encoded(secret: nil), secret: nil) == request)
        let elsewhere = SigningBusMessage.request(id: "ab", key: key, message: [1], timeout: 5, replyTo: "rhailib:dead:x")
        #expect(SigningBusMessage.decode(elsewhere.encoded(secret: nil), secret: nil) == nil)
        #expect(SigningBusMessage.decode(String(repeating: "x", count: SigningBusMessage.maxBytes + 1), secret: nil) == nil)
    }
}
