import CirclesTestSupport
import Codecs
import CircleClient
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// Authentication on a real node (SPEC 3 and 3.1): Ed25519 callers, the bound form, the legacy forms
/// where they are allowed, and the relay attack of issue 16.
@Suite struct AuthenticationTests {
    enum Form { case bound, legacy }

    /// The message a caller on `rig` signs (our test peers connect to 127.0.0.1:port, their Host).
    static func message(_ form: Form, rig: NodeRig, nonce: String, host: String? = nil, circle: String? = nil) -> [UInt8] {
        switch form {
        case .bound: SignatureDomain.authentication(host: host ?? "127.0.0.1:\(rig.port)", circle: circle ?? rig.circle, nonce: nonce)
        case .legacy: Array(nonce.utf8)
        }
    }

    static func nonce(_ peer: RPCPeer, for pubkey: String) async throws -> String {
        let reply = try await peer.call("fetch_nonce", ["pubkey": .string(pubkey)])
        return try #require(reply["result"]?["nonce"]?.stringValue, "\(reply)")
    }

    static func authenticate(_ peer: RPCPeer, pubkey: String, signature: String) async throws -> JSON {
        try await peer.call("authenticate", ["pubkey": .string(pubkey), "signature": .string(signature)])
    }

    @Test(arguments: [Form.bound, .legacy])
    func anEd25519CallerAuthenticatesAndIsTheCaller(form: Form) async throws {
        let rig = try NodeRig { $0.authRequired = true }
        let key = Ed25519PrivateKey()
        let peer = try await rig.connect()
        let nonce = try await Self.nonce(peer, for: key.publicKey.hex.uppercased())
        let signature = Hex.encode(key.sign(Self.message(form, rig: rig, nonce: nonce)))
        let reply = try await Self.authenticate(peer, pubkey: key.publicKey.hex.uppercased(), signature: signature)
        #expect(reply["result"]?["authenticated"] == .bool(true), "\(reply)")
        #expect(try await peer.call("whoami")["result"]?["pubkey"]?.stringValue == key.publicKey.hex)
        #expect(try await peer.call("play", ["script": "CALLER_PUBLIC_KEY"])["result"]?["output"]?.stringValue == key.publicKey.hex)
        try await rig.stop()
    }

    @Test func ed25519CredentialsThatAreWrongAreRefusedAndClose() async throws {
        let rig = try NodeRig { $0.authRequired = true }
        let key = Ed25519PrivateKey()
        let pubkey = key.publicKey.hex
        // (signature made from the nonce) → expected error code; every refused signature closes with 1008.
        let cases: [(String, @Sendable (String) -> String, Int64)] = [
            ("another key", { Hex.encode(Ed25519PrivateKey().sign(SignatureDomain.authentication(host: "127.0.0.1:\(rig.port)", circle: rig.circle, nonce: $0))) }, -32002),
            ("another nonce", { _ in Hex.encode(key.sign(SignatureDomain.authentication(host: "127.0.0.1:\(rig.port)", circle: rig.circle, nonce: String(repeating: "ab", count: 32)))) }, -32002),
            ("63 bytes", { String(Hex.encode(key.sign(Array($0.utf8))).dropLast(2)) }, -32002),
            ("65 bytes", { Hex.encode(key.sign(Array($0.utf8))) + "00" }, -32002),
            ("not hex", { "zz" + Hex.encode(key.sign(Array($0.utf8))).dropFirst(2) }, -32002),
            ("R = identity, S = 0", { _ in "01" + String(repeating: "0", count: 126) }, -32002),
        ]
        for (name, sign, code) in cases {
            let peer = try await rig.connect()
            let nonce = try await Self.nonce(peer, for: pubkey)
            let reply = try await Self.authenticate(peer, pubkey: pubkey, signature: sign(nonce))
            #expect(reply["error"]?["code"]?.intValue == code, "\(name): \(reply)")
            #expect(await peer.closeCode() == 1008, "\(name)")
        }
        try await rig.stop()
    }

    @Test func ed25519KeysOfTheWrongShapeOrSmallOrderAreRefused() async throws {
        let rig = try NodeRig { $0.authRequired = true }
        let peer = try await rig.connect()
        let real = Ed25519PrivateKey().publicKey.hex
        let orderEight = "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"  // a point of small order (CallerKeyTests)
        for bad in [String(real.dropLast(2)), String(real.dropLast()), "00" + real, "zz" + real.dropFirst(2),
                    "01" + String(repeating: "0", count: 62), orderEight] {
            let reply = try await peer.call("fetch_nonce", ["pubkey": .string(bad)])
            #expect(reply["error"]?["code"]?.intValue == -32602, "\(bad): \(reply)")
        }
        // Straight to authenticate with the small-order key and the signature that verifies for it anywhere.
        let reply = try await Self.authenticate(peer, pubkey: "01" + String(repeating: "0", count: 62), signature: "01" + String(repeating: "0", count: 126))
        #expect(reply["error"]?["code"]?.intValue == -32002, "\(reply)")
        #expect(await peer.closeCode() == 1008)
        try await rig.stop()
    }

    @Test func aNonceCannotBeReplayed() async throws {
        let rig = try NodeRig { $0.authRequired = true }
        let key = Ed25519PrivateKey()
        let peer = try await rig.connect()
        let nonce = try await Self.nonce(peer, for: key.publicKey.hex)
        let signature = Hex.encode(key.sign(Self.message(.bound, rig: rig, nonce: nonce)))
        #expect(try await Self.authenticate(peer, pubkey: key.publicKey.hex, signature: signature)["result"]?["authenticated"] == .bool(true))
        let again = try await Self.authenticate(peer, pubkey: key.publicKey.hex, signature: signature)
        #expect(again["error"]?["code"]?.intValue == -32003, "\(again)")
        // Nor on another connection.
        let other = try await rig.connect()
        let elsewhere = try await Self.authenticate(other, pubkey: key.publicKey.hex, signature: signature)
        #expect(elsewhere["error"]?["code"]?.intValue == -32003, "\(elsewhere)")
        try await rig.stop()
    }

    /// Every accepted secp256k1 scheme over the bound message, on a node that requires the bound form.
    @Test func theBoundFormAuthenticatesInEveryScheme() async throws {
        let rig = try NodeRig { $0.authRequired = true; $0.requireBoundAuth = true }
        let key = PrivateKey()
        let ed = Ed25519PrivateKey()
        let schemes: [(String, String, @Sendable ([UInt8]) -> String)] = [
            ("compact", key.publicKey.hex, { Hex.encode(key.signCompact($0)) }),
            ("ethereum, uncompressed key", Hex.encode(key.publicKey.uncompressed), { "0x" + Hex.encode(key.signEthereum($0)) }),
            ("ethereum, compressed key", key.publicKey.hex, { Hex.encode(key.signEthereum($0)) }),
            ("ed25519", ed.publicKey.hex, { Hex.encode(ed.sign($0)) }),
        ]
        for (name, pubkey, sign) in schemes {
            let peer = try await rig.connect()
            let nonce = try await Self.nonce(peer, for: pubkey)
            let reply = try await Self.authenticate(peer, pubkey: pubkey, signature: sign(Self.message(.bound, rig: rig, nonce: nonce)))
            #expect(reply["result"]?["authenticated"] == .bool(true), "\(name): \(reply)")
        }
        try await rig.stop()
    }

    @Test func aSignatureBoundToAnotherHostOrCircleIsRefused() async throws {
        let rig = try NodeRig { $0.authRequired = true }
        let key = PrivateKey()
        let elsewhere: [(String, String?, String?)] = [
            ("another port", "127.0.0.1:\(rig.port + 1)", nil), ("another name", "evil.example", nil),
            ("another circle", nil, PrivateKey().publicKey.hex), ("no host", "", nil),
        ]
        for (name, host, circle) in elsewhere {
            let peer = try await rig.connect()
            let nonce = try await Self.nonce(peer, for: key.publicKey.hex)
            let message = Self.message(.bound, rig: rig, nonce: nonce, host: host, circle: circle)
            let reply = try await Self.authenticate(peer, pubkey: key.publicKey.hex, signature: Hex.encode(key.signCompact(message)))
            #expect(reply["error"]?["code"]?.intValue == -32002, "\(name): \(reply)")
            #expect(await peer.closeCode() == 1008, "\(name)")
        }
        try await rig.stop()
    }

    /// The legacy forms where the node or the circle requires the bound form: refused.
    @Test(arguments: ["node", "circle"])
    func legacyFormsAreRefusedWhereTheBoundFormIsRequired(scope: String) async throws {
        let rig = try NodeRig { options in
            options.authRequired = true
            if scope == "node" { options.requireBoundAuth = true } else { options.circles[0].requireBoundAuth = true }
        }
        let key = PrivateKey()
        let ed = Ed25519PrivateKey()
        let legacy: [(String, @Sendable (String) -> String)] = [
            (key.publicKey.hex, { Hex.encode(key.signCompact(Array($0.utf8))) }),
            (Hex.encode(key.publicKey.uncompressed), { "0x" + Hex.encode(key.signEthereum(Array($0.utf8))) }),
            (ed.publicKey.hex, { Hex.encode(ed.sign(Array($0.utf8))) }),
        ]
        for (pubkey, sign) in legacy {
            let peer = try await rig.connect()
            let nonce = try await Self.nonce(peer, for: pubkey)
            let reply = try await Self.authenticate(peer, pubkey: pubkey, signature: sign(nonce))
            #expect(reply["error"]?["code"]?.intValue == -32002, "\(reply)")
            #expect(reply["error"]?["message"]?.stringValue?.contains("bound form") == true || "\(reply)".contains("bound form"), "\(reply)")
        }
        try await rig.stop()
    }

    /// The independent Python client (coincurve, cryptography's Ed25519) in every form: the legacy
    /// forms authenticate where allowed and are refused where the bound form is required; the bound
    /// form authenticates on both.
    @Test func anIndependentPythonClientAuthenticatesInEveryFormWhereAllowed() async throws {
        let open = try NodeRig { $0.authRequired = true }
        let strict = try NodeRig { $0.authRequired = true; $0.requireBoundAuth = true }
        let secp = PrivateKey()
        let ed = Ed25519PrivateKey()
        let forms = [("compact", secp.hex, secp.publicKey.hex), ("recoverable", secp.hex, secp.publicKey.hex),
                     ("eth", secp.hex, secp.publicKey.hex), ("ed25519", Hex.encode(ed.seed), ed.publicKey.hex)]
        for (form, secret, caller) in forms {
            for mode in ["legacy", "bound"] {
                for (name, rig) in [("open", open), ("strict", strict)] {
                    let report = try await onDedicatedThread {
                        try Python.runJSON(script: "circle_client.py", arguments: [rig.url, secret, form, "CALLER_PUBLIC_KEY", mode])
                    }
                    if mode == "legacy" && name == "strict" {
                        #expect(report["auth"]["error"]["code"].raw as? Int == -32002, "\(form) \(mode) \(name): \(report.raw ?? "")")
                    } else {
                        #expect(report["auth"]["result"]["authenticated"].bool == true, "\(form) \(mode) \(name): \(report.raw ?? "")")
                        #expect(report["play"]["result"]["output"].string == caller, "\(form) \(mode) \(name)")
                    }
                }
            }
        }
        try await open.stop()
        try await strict.stop()
    }

    /// Issue 16's relay: a malicious server relays fetch_nonce/authenticate to the honest node and,
    /// once logged in, plays there itself. A client signing the bare nonce is hijacked (the attack is
    /// real); ours signs the bound form, which names the relay's host, and the honest node refuses it.
    @Test func aRelayingServerCannotLogInAsTheClient() async throws {
        let honest = try NodeRig { $0.authRequired = true }
        let relay = try AuthRelay(honest: "127.0.0.1:\(honest.port)")
        defer { relay.stop() }
        let victim = PrivateKey()
        let viaRelay = "ws://127.0.0.1:\(relay.port)/\(honest.circle)"

        let legacy = try CircleClient.Builder(url: viaRelay).keyPair(victim).timeout(20).legacyAuthentication().build()
        try await legacy.connect()
        try await legacy.authenticate()
        try await Wait.until(timeout: 60, "the relay's own play on the honest node") { relay.hijacked != nil }
        #expect(relay.hijacked == victim.publicKey.hex)
        await legacy.close()

        let relay2 = try AuthRelay(honest: "127.0.0.1:\(honest.port)")
        defer { relay2.stop() }
        for key in [CallerPrivateKey.secp256k1(victim), .ed25519(Ed25519PrivateKey())] {
            let client = try CircleClient.Builder(url: "ws://127.0.0.1:\(relay2.port)/\(honest.circle)").keyPair(key).timeout(20).build()
            try await client.connect()
            await #expect { try await client.authenticate() } throws: { error in
                guard case CircleClientError.invalidCredentials = error else { return false }
                return true
            }
            await client.close()
        }
        #expect(relay2.hijacked == nil)

        // The same clients straight to the honest node authenticate.
        let direct = try CircleClient.Builder(url: honest.url).keyPair(victim).timeout(20).build()
        try await direct.connect()
        #expect(try await direct.authenticate() == .secp256k1(victim.publicKey))
        await direct.close()
        try await honest.stop()
    }

    /// `circles play` through the relay: refused by the honest node; straight to it, accepted.
    @Test func circlesPlayThroughTheRelayIsRefused() async throws {
        let honest = try NodeRig { $0.authRequired = true }
        let relay = try AuthRelay(honest: "127.0.0.1:\(honest.port)")
        defer { relay.stop() }
        let directory = try TemporaryDirectory.make(prefix: "circles-relay")
        let keyFile = directory + "/ed.key"
        try CallerPrivateKey.ed25519(Ed25519PrivateKey()).write(toFile: keyFile)
        let viaRelay = try await CirclesCommand.run(["play", "--url", "ws://127.0.0.1:\(relay.port)/\(honest.circle)", "--key", keyFile,
                                                     "--ed25519", "-e", "CALLER_PUBLIC_KEY"])
        #expect(viaRelay.status == 3, "\(viaRelay)")
        #expect(relay.hijacked == nil)
        let direct = try await CirclesCommand.run(["play", "--url", honest.url, "--key", keyFile, "--ed25519", "-e", "CALLER_PUBLIC_KEY"])
        #expect(direct.status == 0, "\(direct)")
        #expect(direct.stdout.trimmingCharacters(in: .whitespacesAndNewlines).utf8.count == 64)
        try await honest.stop()
    }
}
