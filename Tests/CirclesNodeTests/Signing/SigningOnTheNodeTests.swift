import CirclesTestSupport
import Codecs
import CircleClient
import CirclesCore
import TestSupport
import Testing
import Transport
@testable import CirclesNode

/// The signing service mounted on a real node through `NodeOptions.routes`, beside the circles' routes.
@Suite struct SigningOnTheNodeTests {
    @Test func signersAndTheAPIWorkOnTheNodeBesideTheCircles() async throws {
        let service = SigningService()
        let rig = try NodeRig { $0.routes.append { service.install(into: &$0, apiToken: "node-token") } }
        let key = SignerPrivateKey.secp256k1(PrivateKey())
        let signer = CircleSigner(url: "ws://127.0.0.1:\(rig.port)/sign", key: key)
        try await signer.connect()
        let body = JSON.object(["public_key": .string(key.publicKey.description), "message": .string(Base64.encode([1, 2, 3]))]).serialized
        let reply = try await rig.post("/api/sign", headers: ["Authorization": "Bearer node-token"], body: body)
        #expect(reply.status == 200, "\(reply.body)")
        let json = try JSONParser.parse(reply.body)
        let signature = try #require(json["signature"]?.stringValue.flatMap(Base64.decode))
        #expect(key.publicKey.verify(signature: signature, message: SignatureDomain.signRequest([1, 2, 3])))
        // the circle's own WebSocket route is untouched
        let peer = try await rig.connect()
        #expect(try await peer.call("fetch_nonce", ["pubkey": .string(PrivateKey().publicKey.hex)])["result"]?["nonce"] != nil)
        peer.connection.close()
        signer.close()
        _ = await signer.waitUntilClosed()
        try await rig.stop()
    }
}
