import Codecs
import CirclesCore
import Foundation
import TestSupport
import Testing

@Suite struct CryptoPrimitivesTests {
    // MARK: HMAC-SHA256 (RFC 4231)

    @Test func randomHexHasTheAskedLengthOnlyHexDigitsAndNoRepeats() {
        #expect(RandomHex.make(words: 0) == "")
        var seen = Set<String>()
        for words in [1, 2, 4, 33] {
            for _ in 0..<500 {
                let text = RandomHex.make(words: words)
                #expect(text.utf8.count == 16 * words)
                #expect(text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) })
                seen.insert(text)
            }
        }
        #expect(seen.count == 2_000)
    }

    @Test(arguments: [
        (Hex.encode([UInt8](repeating: 0x0B, count: 20)), "Hi There",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Hex.encode(Array("Jefe".utf8)), "what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (Hex.encode([UInt8](repeating: 0xAA, count: 131)), "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ])
    func hmacMatchesRFC4231(keyHex: String, message: String, expected: String) throws {
        let key = try #require(Hex.decode(keyHex))
        #expect(Hex.encode(HMAC.sha256(key: key, message: Array(message.utf8))) == expected)
    }

    @Test func hmacAcceptsEmptyKeyAndMessage() {
        #expect(Hex.encode(HMAC.sha256(key: [], message: []))
                == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    // MARK: Base64 (RFC 4648)

    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func base64MatchesRFC4648(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func base64RoundTripsEveryByteAndLength() {
        let all = (0...255).map { UInt8($0) }
        #expect(Base64.decode(Base64.encode(all)) == all)
        var generator = SeededGenerator()
        for length in 0...70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes, "length \(length), \(generator)")
        }
        #expect(Base64.encode([0xFB, 0xFF]) == "+/8=")
    }

    @Test(arguments: [
        "Zg", "Zg=", "Zg===", "Z===", "====", "=Zm9", "Zm=v", "Zg==Zg==", "Zm9vY", // length or padding
        "Zh==", "Zm9=", // non-zero unused bits
        "Zm9v YmFy", "Zm9v\n", " Zm9v", "Zm9-", "Zm9_", "Zm9*", "Zgé", // characters outside the alphabet
    ])
    func base64RejectsMalformedText(text: String) {
        #expect(Base64.decode(text) == nil)
    }

    // MARK: ConstantTime and SecureRandom

    @Test func constantTimeEquality() {
        let bytes = SecureRandom.bytes(32)
        #expect(ConstantTime.equals(bytes, bytes))
        #expect(ConstantTime.equals([], []))
        var first = bytes, last = bytes
        first[0] ^= 1
        last[31] ^= 0x80
        #expect(!ConstantTime.equals(bytes, first))
        #expect(!ConstantTime.equals(bytes, last))
        #expect(!ConstantTime.equals(bytes, Array(bytes.dropLast())))
        #expect(!ConstantTime.equals(bytes, bytes + [0]))
        #expect(!ConstantTime.equals([], [0]))
    }

    @Test func secureRandomGivesFreshBytesOfTheRequestedLength() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(1).count == 1)
        let a = SecureRandom.bytes(32), b = SecureRandom.bytes(32)
        #expect(a.count == 32 && b.count == 32)
        #expect(a != b)
    }

    // MARK: Ed25519 (RFC 8032 section 7.1)

    @Test(arguments: [
        ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
    ])
    func ed25519MatchesRFC8032(seedHex: String, publicHex: String, messageHex: String, signatureHex: String) throws {
        let key = try Ed25519PrivateKey(seed: try #require(Hex.decode(seedHex)))
        let message = try #require(Hex.decode(messageHex))
        #expect(key.publicKey.hex == publicHex)
        #expect(Hex.encode(key.sign(message)) == signatureHex)
        let publicKey = try Ed25519PublicKey(bytes: try #require(Hex.decode(publicHex)))
        #expect(publicKey == key.publicKey)
        #expect(publicKey.verify(signature: try #require(Hex.decode(signatureHex)), message: message))
    }

    @Test func ed25519RejectsTamperedMessagesAndSignatures() throws {
        let key = Ed25519PrivateKey()
        let message = Array("sign me".utf8)
        let signature = key.sign(message)
        #expect(signature.count == 64)
        #expect(key.publicKey.verify(signature: signature, message: message))

        var tamperedMessage = message
        tamperedMessage[0] ^= 1
        #expect(!key.publicKey.verify(signature: signature, message: tamperedMessage))
        #expect(!key.publicKey.verify(signature: signature, message: []))
        for index in [0, 31, 32, 63] {
            var tampered = signature
            tampered[index] ^= 0x01
            #expect(!key.publicKey.verify(signature: tampered, message: message), "byte \(index)")
        }
        #expect(!key.publicKey.verify(signature: Array(signature.dropLast()), message: message))
        #expect(!key.publicKey.verify(signature: signature + [0], message: message))
        #expect(!key.publicKey.verify(signature: [], message: message))
        #expect(!Ed25519PrivateKey().publicKey.verify(signature: signature, message: message))
    }

    @Test func ed25519RefusesWrongLengths() {
        for length in [0, 31, 33, 64] {
            #expect(throws: IdentityError.self) { try Ed25519PrivateKey(seed: [UInt8](repeating: 1, count: length)) }
            #expect(throws: IdentityError.self) { try Ed25519PublicKey(bytes: [UInt8](repeating: 1, count: length)) }
        }
    }

    // MARK: SignerKey

    @Test func signerKeyTellsSecp256k1ByItsLength() throws {
        let secret = PrivateKey()
        let key = try SignerKey(bytes: secret.publicKey.compressed)
        #expect(key == .secp256k1(secret.publicKey))
        #expect(key.bytes == secret.publicKey.compressed)
        let message = Array("challenge".utf8)
        #expect(key.verify(signature: secret.signCompact(message), message: message))
        #expect(key.verify(signature: secret.signEthereum(message), message: message))
        #expect(!key.verify(signature: secret.signCompact(message), message: Array("other".utf8)))
        #expect(!key.verify(signature: PrivateKey().signCompact(message), message: message))
        #expect(!key.verify(signature: Ed25519PrivateKey().sign(message), message: message))
        #expect(!key.verify(signature: [1, 2, 3], message: message))
    }

    @Test func signerKeyTellsEd25519ByItsLength() throws {
        let secret = Ed25519PrivateKey()
        let key = try SignerKey(bytes: secret.publicKey.bytes)
        #expect(key == .ed25519(secret.publicKey))
        #expect(key.bytes == secret.publicKey.bytes)
        #expect(key.description == secret.publicKey.hex)
        let message = Array("challenge".utf8)
        #expect(key.verify(signature: secret.sign(message), message: message))
        #expect(!key.verify(signature: secret.sign(message), message: Array("other".utf8)))
        #expect(!key.verify(signature: PrivateKey().signCompact(message), message: message))
    }

    @Test func signerKeyRefusesOtherLengthsAndBadPoints() throws {
        let uncompressed = PrivateKey().publicKey.uncompressed
        #expect(uncompressed.count == 65)
        for bytes in [[UInt8](repeating: 7, count: 31), [UInt8](repeating: 7, count: 34), uncompressed, []] {
            #expect(throws: IdentityError.self, "\(bytes.count) bytes") { try SignerKey(bytes: bytes) }
        }
        #expect(throws: IdentityError.self) { try SignerKey(bytes: [0x02] + [UInt8](repeating: 0, count: 32)) }
        let error = #expect(throws: IdentityError.self) { try SignerKey(bytes: [UInt8](repeating: 7, count: 34)) }
        #expect(error?.description.contains("got 34") == true)
    }

    // MARK: Cross-check against Python (hmac module; cryptography, else the openssl CLI)

    @Test(.enabled(if: pythonIsAvailable(), "python3 is not installed"))
    func hmacAndEd25519AgreeWithAnIndependentImplementation() async throws {
        var generator = SeededGenerator()
        func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        var cases: [(key: [UInt8], message: [UInt8], seed: [UInt8])] = [([], [], bytes(32))]
        for length in [1, 55, 64, 65, 200, 1000] {
            cases.append((bytes(length % 150), bytes(length), bytes(32)))
        }
        let arguments = cases.flatMap { [Hex.encode($0.key), Hex.encode($0.message), Hex.encode($0.seed)] }
        let lines = try await onDedicatedThread { try runPython(crossCheckScript, arguments) }
        try #require(lines.count == cases.count, "python said: \(lines)")
        for (line, testCase) in zip(lines, cases) {
            let fields = line.split(separator: " ").map(String.init)
            try #require(fields.count == 4, "python said: \(line)")
            #expect(Hex.encode(HMAC.sha256(key: testCase.key, message: testCase.message)) == fields[0], "\(generator)")
            guard fields[1] != "-" else {
                // Only the openssl fallback (no `cryptography` module) leaves a case out: the empty message.
                #expect(testCase.message.isEmpty, "python3 gave no Ed25519 result for a \(testCase.message.count)-byte message")
                #expect(!TestEnvironment.isCI, "python3 has no `cryptography` module: install it (scripts/setup.sh) so every case is cross-checked")
                continue
            }
            let key = try Ed25519PrivateKey(seed: testCase.seed)
            #expect(key.publicKey.hex == fields[1], "via \(fields[3]), \(generator)")
            #expect(Hex.encode(key.sign(testCase.message)) == fields[2], "via \(fields[3]), \(generator)")
            #expect(key.publicKey.verify(signature: try #require(Hex.decode(fields[2])), message: testCase.message))
        }
    }
}

private func pythonIsAvailable() -> Bool { (try? Executables.find("python3")) != nil }

/// Runs `python3 -c script arguments…` and returns its output lines.
private func runPython(_ script: String, _ arguments: [String]) throws -> [String] {
    let output = try TemporaryDirectory.make(prefix: "circles-crypto") + "/out.txt"
    let child = try ChildProcess(try Executables.find("python3"), ["-c", script] + arguments, log: output)
    let status = child.wait()
    let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    guard ChildProcess.exitCode(of: status) == 0 else { throw Python.Failure(description: "python3 failed: \(text)") }
    return text.split(separator: "\n").map(String.init)
}

/// For each (key, message, seed) hex triple: "hmac public signature source" on one line ("-" for the
/// Ed25519 fields the openssl CLI fallback cannot produce).
private let crossCheckScript = #"""
import hashlib, hmac, os, subprocess, sys, tempfile

def ed25519(seed, message):
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    except ImportError:
        if not message:
            return None, None, "openssl-cli"  # pkeyutl -rawin refuses empty input
        with tempfile.TemporaryDirectory() as folder:
            key, data = os.path.join(folder, "key.der"), os.path.join(folder, "message.bin")
            with open(key, "wb") as f:
                f.write(bytes.fromhex("302e020100300506032b657004220420") + seed)
            with open(data, "wb") as f:
                f.write(message)
            run = lambda *args: subprocess.run(["openssl", *args], check=True, capture_output=True).stdout
            public = run("pkey", "-inform", "DER", "-in", key, "-pubout", "-outform", "DER")[-32:]
            signature = run("pkeyutl", "-sign", "-rawin", "-keyform", "DER", "-inkey", key, "-in", data)
            return public, signature, "openssl-cli"
    private = Ed25519PrivateKey.from_private_bytes(seed)
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return public, private.sign(message), "cryptography"

arguments = sys.argv[1:]
for index in range(0, len(arguments), 3):
    key, message, seed = (bytes.fromhex(value) for value in arguments[index:index + 3])
    public, signature, source = ed25519(seed, message)
    print(hmac.new(key, message, hashlib.sha256).hexdigest(), public.hex() if public else "-",
          signature.hex() if signature else "-", source)
"""#
