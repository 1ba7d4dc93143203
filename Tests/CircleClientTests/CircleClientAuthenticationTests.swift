import CircleClient
import CirclesCore
import TestSupport
import Testing
import Transport

/// What the client signs (SPEC 3.1): the bound message, with secp256k1 or Ed25519 keys, and nothing
/// that is not a nonce.
@Suite struct CircleClientAuthenticationTests {
    @Test func anEd25519KeyAuthenticatesWithTheBoundForm() async throws {
        let node = try ScriptedNode()
        defer { node.stop() }
        let key = Ed25519PrivateKey()
        let client = try CircleClient.Builder(url: node.url).keyPair(key).timeout(10).build()
        try await client.connect()
        #expect(try await client.authenticate() == .ed25519(key.publicKey))
        #expect(client.authenticatedKey == .ed25519(key.publicKey))
        #expect(node.authenticated.map(\.pubkey) == [key.publicKey.hex])
        await client.close()
    }

    /// A server that sends something else as the nonce (a signing-service message, a bound message,
    /// uppercase hex, a short string) gets no signature: the client fails before `authenticate`.
    @Test(arguments: ["circles-sign:v1\nsend 100 to bob", "circles-auth:v1\nelsewhere:1\n02ab\n" + String(repeating: "a", count: 64),
                      String(repeating: "AB", count: 32), String(repeating: "a", count: 62), "", "transfer 100 to bob"])
    func theClientSignsNothingButANonce(offered: String) async throws {
        let node = try ScriptedNode()
        defer { node.stop() }
        node.issueNonces { _ in offered }
        for key in [CallerPrivateKey.secp256k1(PrivateKey()), .ed25519(Ed25519PrivateKey())] {
            let client = try CircleClient.Builder(url: node.url).keyPair(key).timeout(10).build()
            try await client.connect()
            await #expect { try await client.authenticate() } throws: { error in
                guard case CircleClientError.invalidResponse(let detail) = error else { return false }
                return detail.contains("not signed")
            }
            #expect(client.isConnected)
            await client.close()
        }
        #expect(node.authenticated.isEmpty)
    }
}
