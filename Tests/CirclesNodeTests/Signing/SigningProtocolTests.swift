import Codecs
import CircleClient
import CirclesCore
import Testing
@testable import CirclesNode

/// The signing protocol's messages and the textual forms of signer keys.
@Suite struct SigningProtocolTests {
    @Test func messagesRoundTrip() throws {
        let messages: [SigningMessage] = [
            .introduction(publicKey: "02ab"),
            .signRequest(requestId: "r1", message: [0, 1, 255]),
            .signResponse(requestId: "r1", message: [0, 1, 255], signature: [9, 9]),
            .signResponse(requestId: "r2", message: nil, signature: []),
            .registered(publicKey: "02ab"),
            .error(SigningProtocolError(code: "invalid_json", message: "not JSON", requestId: "r3")),
            .error(SigningProtocolError(code: "unknown_type", message: "x")),
        ]
        for message in messages {
            #expect(try SigningMessage.parse(message.text).get() == message)
        }
        #expect(SigningMessage.signRequest(requestId: "r1", message: Array("hi".utf8)).text
            == #"{"type":"sign_request","request_id":"r1","message":"aGk="}"#)
        #expect(SigningMessage.error(SigningProtocolError(code: "invalid_json", message: "m", requestId: "7")).text
            == #"{"type":"error","code":"invalid_json","message":"m","request_id":"7"}"#)
    }

    @Test func theSeedsFormsParse() throws {
        // as in seed 004, with fields in any order and extra fields ignored
        let response = #"{"signature": "AQI=", "request_id": "abc", "type": "sign_response", "message": "aGk=", "extra": 1}"#
        #expect(try SigningMessage.parse(response).get() == .signResponse(requestId: "abc", message: Array("hi".utf8), signature: [1, 2]))
        #expect(try SigningMessage.parse(#"{"type":"introduction","public_key":"base64_key"}"#).get() == .introduction(publicKey: "base64_key"))
    }

    @Test func badMessagesNameTheProblem() {
        func failure(_ text: String) -> SigningProtocolError? {
            if case .failure(let error) = SigningMessage.parse(text) { return error }
            return nil
        }
        #expect(failure("{")?.code == SigningProtocolError.invalidJSON)
        #expect(failure("null")?.code == SigningProtocolError.invalidMessage)
        #expect(failure(#"{"type": 1}"#)?.code == SigningProtocolError.invalidMessage)
        #expect(failure(#"{"type": "nope", "request_id": "9"}"#) == SigningProtocolError(
            code: SigningProtocolError.unknownType, message: "unknown message type \"nope\" (expected introduction or sign_response)", requestId: "9"))
        #expect(failure(#"{"type": "sign_response", "request_id": "9", "signature": "A"}"#)
            == SigningProtocolError(code: SigningProtocolError.invalidMessage, message: "the signature is not base64", requestId: "9"))
        #expect(failure(#"{"type": "sign_response", "request_id": "9", "signature": "", "message": 3}"#)?.message == "the message is not base64")
        #expect(failure(#"{"type": "sign_response", "request_id": 9, "signature": ""}"#)?.requestId == nil)
        #expect(failure(String(repeating: "[", count: 10_000))?.code == SigningProtocolError.invalidJSON)
    }

    @Test func signerKeysFromHexOrBase64() throws {
        let secp = PrivateKey().publicKey
        let ed = Ed25519PrivateKey().publicKey
        for text in [secp.hex, secp.hex.uppercased(), "0x" + secp.hex, Base64.encode(secp.compressed), Hex.encode(secp.uncompressed), " \(secp.hex)\n"] {
            #expect(try SignerKey(text: text) == .secp256k1(secp), "\(text)")
        }
        for text in [ed.hex, Base64.encode(ed.bytes)] {
            #expect(try SignerKey(text: text) == .ed25519(ed), "\(text)")
        }
        for text in ["", "zz", "abcd", Hex.encode([UInt8](repeating: 1, count: 31)), Base64.encode([UInt8](repeating: 1, count: 34)),
                     "02" + String(repeating: "0", count: 64)] {
            #expect(throws: IdentityError.self, "\(text)") { try SignerKey(text: text) }
        }
    }

    @Test func signerPrivateKeysFromKeyFiles() throws {
        let secp = PrivateKey()
        let fromFile = try SignerPrivateKey(hex: secp.hex + "\n", ed25519: false)
        #expect(fromFile.publicKey == .secp256k1(secp.publicKey))
        let seed = Ed25519PrivateKey()
        let ed = try SignerPrivateKey(hex: " " + Hex.encode(seed.seed) + "\n", ed25519: true)
        #expect(ed.publicKey == .ed25519(seed.publicKey))
        #expect(ed.publicKey.verify(signature: ed.sign([1, 2]), message: [1, 2]))
        #expect(fromFile.publicKey.verify(signature: fromFile.sign([1, 2]), message: [1, 2]))
        #expect(throws: IdentityError.self) { try SignerPrivateKey(hex: "abc", ed25519: true) }
        #expect(throws: IdentityError.self) { try SignerPrivateKey(hex: String(repeating: "0", count: 64), ed25519: false) }
    }
}
