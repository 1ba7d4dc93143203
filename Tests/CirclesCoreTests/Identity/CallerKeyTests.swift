import Codecs
import CirclesCore
import Testing

/// Caller keys (SPEC 3): secp256k1 or Ed25519 told apart by length; Ed25519 keys that are not
/// canonical or of small order, and hybrid secp256k1 keys, are refused.
@Suite struct CallerKeyTests {
    static let p = "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"

    /// The eight points of small order, in every encoding a parser could accept (both signs of x
    /// where x ≠ 0), and the non-canonical encodings of the identity and of order-2/4 points.
    static let smallOrder = [
        "0100000000000000000000000000000000000000000000000000000000000000",  // identity (order 1)
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // (0, -1): order 2
        "0000000000000000000000000000000000000000000000000000000000000000",  // (√-1, 0): order 4
        "0000000000000000000000000000000000000000000000000000000000000080",  // (-√-1, 0): order 4
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",  // order 8
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",  // order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",  // order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",  // order 8
    ]
    static let nonCanonical = [
        p,                                                                    // y = p (≡ 0)
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // y = p + 1 (≡ 1)
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // y = 2^255 - 1
        "0100000000000000000000000000000000000000000000000000000000000080",  // identity with the sign bit
    ]

    @Test(arguments: smallOrder + nonCanonical)
    func ed25519KeysOfSmallOrderOrNotCanonicalAreRefused(hex: String) {
        let reason = Self.smallOrder.contains(hex) ? "small order" : "not canonical"
        #expect { try Ed25519PublicKey(bytes: Hex.decode(hex)!) } throws: { "\($0)".contains(reason) }
        #expect(throws: IdentityError.self) { try CallerKey(hex: hex) }
        #expect(throws: IdentityError.self) { try SignerKey(bytes: Hex.decode(hex)!) }
    }

    @Test func anEncodingOffTheCurveIsRefused() {
        // y = 2: (y² - 1)/(d·y² + 1) is not a square mod p.
        let hex = "0200000000000000000000000000000000000000000000000000000000000000"
        #expect(throws: IdentityError.self) { try CallerKey(hex: hex) }
    }

    @Test func realEd25519KeysAreAcceptedAndVerify() throws {
        for _ in 0..<200 {
            let key = Ed25519PrivateKey()
            let caller = try CallerKey(hex: key.publicKey.hex.uppercased())
            #expect(caller == .ed25519(key.publicKey))
            #expect(caller.hex == key.publicKey.hex)
            try caller.verify(signatureHex: Hex.encode(key.sign([1, 2, 3])), message: [1, 2, 3])
        }
    }

    /// R = identity, S = 0 satisfies [S]B = R + [k]A exactly when [k]A is the identity: it must not
    /// verify for a real key (and small-order keys never get this far).
    @Test func theIdentityRZeroSSignatureVerifiesForNothing() throws {
        let forged = "01" + String(repeating: "0", count: 126)
        let caller = try CallerKey(hex: Ed25519PrivateKey().publicKey.hex)
        for message in ["", "anything", String(repeating: "a", count: 64)] {
            #expect(throws: IdentityError.self) { try caller.verify(signatureHex: forged, message: Array(message.utf8)) }
        }
    }

    @Test func ed25519SignaturesOfTheWrongShapeAreInvalidCredentialsNotCrashes() throws {
        let key = Ed25519PrivateKey()
        let caller = CallerKey.ed25519(key.publicKey)
        let good = Hex.encode(key.sign(Array("m".utf8)))
        try caller.verify(signatureHex: good, message: Array("m".utf8))
        for bad in [String(good.dropLast(2)), good + "00", "zz" + good.dropFirst(2), "", "0x", String(good.dropLast())] {
            #expect(throws: IdentityError.self) { try caller.verify(signatureHex: bad, message: Array("m".utf8)) }
        }
        #expect(throws: IdentityError.self) { try caller.verify(signatureHex: good, message: Array("n".utf8)) }
        let other = CallerKey.ed25519(Ed25519PrivateKey().publicKey)
        #expect(throws: IdentityError.self) { try other.verify(signatureHex: good, message: Array("m".utf8)) }
    }

    @Test func callerKeysAreToldApartByLength() throws {
        let secp = PrivateKey()
        #expect(try CallerKey(hex: secp.publicKey.hex) == .secp256k1(secp.publicKey))
        #expect(try CallerKey(hex: Hex.encode(secp.publicKey.uncompressed)).hex == secp.publicKey.hex)
        for length in [0, 31, 34, 64, 66] {
            #expect(throws: IdentityError.self) { try CallerKey(hex: String(repeating: "ab", count: length)) }
        }
        #expect(throws: IdentityError.self) { try CallerKey(hex: String(repeating: "g", count: 64)) }
        #expect(throws: IdentityError.self) { try CallerKey(hex: String(repeating: "a", count: 63)) }
    }

    /// SEC1's hybrid form (06/07, then x and y) is parsed by libsecp256k1; nothing of ours accepts it.
    @Test func hybridSecp256k1KeysAreRefusedEverywhere() throws {
        let key = PrivateKey().publicKey
        var hybrid = key.uncompressed
        hybrid[0] = 0x06 | (hybrid[64] & 1)
        let hex = Hex.encode(hybrid)
        #expect(throws: IdentityError.self) { try PublicKey(bytes: hybrid) }
        #expect(throws: IdentityError.self) { try PublicKey(hex: hex) }
        #expect(throws: IdentityError.self) { try CallerKey(hex: hex) }
        #expect(throws: IdentityError.self) { try SignerKey(bytes: hybrid) }
        var wrongPrefix = key.compressed
        wrongPrefix[0] = 0x04
        #expect(throws: IdentityError.self) { try PublicKey(bytes: wrongPrefix) }
        #expect(try PublicKey(bytes: key.uncompressed) == key)
    }

    @Test func theBoundMessageAndTheNonceShapeAreAsTheSpecSays() {
        let message = SignatureDomain.authentication(host: "node.example:8443", circle: "02ab", nonce: "00ff")
        #expect(String(decoding: message, as: UTF8.self) == "circles-auth:v1\nnode.example:8443\n02ab\n00ff")
        #expect(SignatureDomain.isNonce(String(repeating: "0a", count: 32)))
        for bad in [String(repeating: "0A", count: 32), String(repeating: "a", count: 63), String(repeating: "a", count: 65),
                    String(repeating: "g", count: 64), "circles-sign:v1\n" + String(repeating: "a", count: 48), ""] {
            #expect(!SignatureDomain.isNonce(bad))
        }
        #expect(SignatureDomain.hostHeader(host: "Node.Example", port: 443, secure: true) == "node.example")
        #expect(SignatureDomain.hostHeader(host: "127.0.0.1", port: 80, secure: true) == "127.0.0.1:80")
        #expect(SignatureDomain.hostHeader(host: "::1", port: 8080, secure: false) == "[::1]:8080")
    }
}
