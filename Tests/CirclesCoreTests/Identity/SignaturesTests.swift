import Codecs
import CirclesCore
import TestSupport
import Testing

@Suite struct SignaturesTests {
    @Test(arguments: [
        ("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
        ("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
    ])
    func keccakMatchesPublishedVectors(input: String, expected: String) {
        #expect(Hex.encode(Keccak256.hash(Array(input.utf8))) == expected)
    }

    /// Longer than one 136-byte block; the expected value comes from the independent Python keccak in
    /// Tests/Interop/circle_client.py.
    @Test func multiBlockKeccakMatchesTheIndependentImplementation() {
        #expect(Hex.encode(Keccak256.hash(Array(repeating: UInt8(ascii: "a"), count: 200)))
                == "96ea54061def936c4be90b518992fdc6f12f535068a256229aca54267b4d084d")
    }

    @Test func sha256MatchesItsPublishedVector() {
        #expect(Hex.encode(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func hexRoundTripsAndRejectsWhatIsNotHex() {
        let bytes: [UInt8] = Array(0...255)
        let text = Hex.encode(bytes)
        #expect(text.hasPrefix("000102") && text.hasSuffix("fdfeff") && text.utf8.count == 512)
        #expect(Hex.decode(text) == bytes)
        #expect(Hex.decode("0x" + text.uppercased()) == bytes)
        #expect(Hex.decode("") == [])
        #expect(Hex.decode("0x") == [])
        for bad in ["a", "abc", "zz", "0g", "12 4", "0x1", "éé"] { #expect(Hex.decode(bad) == nil) }
    }

    @Test func publicKeysNormaliseToCompressedHex() throws {
        let key = PrivateKey()
        let compressed = key.publicKey
        #expect(compressed.hex.utf8.count == 66)
        #expect(try PublicKey(hex: Hex.encode(compressed.uncompressed)) == compressed)
        #expect(try PublicKey(hex: "0x" + compressed.hex.uppercased()) == compressed)
        for bad in ["", "zz", "02" + String(repeating: "00", count: 32), String(repeating: "ab", count: 33), "04" + String(repeating: "11", count: 64)] {
            #expect(throws: IdentityError.self) { try PublicKey(hex: bad) }
        }
    }

    @Test func ourSignaturesVerifyInBothForms() throws {
        let key = PrivateKey()
        let message = Array("nonce-123".utf8)
        try Signatures.verify(signature: key.signCompact(message), message: message, publicKey: key.publicKey)
        try Signatures.verify(signature: key.signEthereum(message), message: message, publicKey: key.publicKey)
        #expect(throws: IdentityError.self) {
            try Signatures.verify(signature: key.signCompact(message), message: Array("other".utf8), publicKey: key.publicKey)
        }
        #expect(throws: IdentityError.self) {
            try Signatures.verify(signature: key.signEthereum(message), message: message, publicKey: PrivateKey().publicKey)
        }
    }

    @Test func interoperatesWithCoincurveInEveryForm() async throws {
        let key = PrivateKey()
        let nonce = "3f9a0c1b2d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff"
        let ours = ["compact=" + Hex.encode(key.signCompact(Array(nonce.utf8))), "eth=" + Hex.encode(key.signEthereum(Array(nonce.utf8)))]
        let json = try await onDedicatedThread { try Python.runJSON(script: "sign_forms.py", arguments: [key.hex, nonce] + ours) }
        let message = Array(nonce.utf8)
        for form in ["compact", "recoverable", "eth"] {
            let claimed = try PublicKey(hex: json[form]["pubkey"].string!)
            #expect(claimed == key.publicKey, "form \(form)")
            try Signatures.verify(signatureHex: json[form]["signature"].string!, message: message, publicKey: claimed)
        }
        try Signatures.verify(signatureHex: json["high_s"].string!, message: message, publicKey: key.publicKey)
        #expect(throws: IdentityError.self) { try Signatures.verify(signatureHex: json["der"].string!, message: message, publicKey: key.publicKey) }
        #expect(json["verified_compact"].bool == true)
        #expect(json["verified_eth"].bool == true)
    }

    @Test(arguments: ["", "xyz", "00", String(repeating: "ff", count: 64), String(repeating: "00", count: 64),
                      String(repeating: "ab", count: 63), String(repeating: "ab", count: 66), String(repeating: "11", count: 64) + "05"])
    func malformedSignaturesAreInvalidCredentials(signature: String) {
        let key = PrivateKey()
        #expect(throws: IdentityError.self) { try Signatures.verify(signatureHex: signature, message: [1, 2], publicKey: key.publicKey) }
    }

    @Test func privateKeysRoundTripThroughHex() throws {
        let key = PrivateKey()
        #expect(try PrivateKey(hex: key.hex + "\n").publicKey == key.publicKey)
        #expect(throws: IdentityError.self) { try PrivateKey(hex: String(repeating: "00", count: 32)) }
        #expect(throws: IdentityError.self) { try PrivateKey(hex: "abcd") }
    }
}
