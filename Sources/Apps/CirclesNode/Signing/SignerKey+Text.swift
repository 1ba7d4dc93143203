import Codecs
import CirclesCore

extension SignerKey {
    /// Parses a signer key as it appears in an `introduction` or in `POST /api/sign`: the hex (either case,
    /// optional `0x`) or the standard base64 of 33 bytes (compressed secp256k1) or 32 bytes (Ed25519). The
    /// 65-byte uncompressed secp256k1 form is accepted too and normalised to the compressed key.
    package init(text: String) throws(IdentityError) {
        let trimmed = text.trimmingWhitespace()
        // Hex is tried first: 64 or 66 hex digits never read as a key in base64 (they would be 48 or 49 bytes).
        let bytes: [UInt8]
        if let hex = Hex.decode(trimmed), [32, 33, 65].contains(hex.count) {
            bytes = hex
        } else if let base64 = Base64.decode(trimmed) {
            bytes = base64
        } else {
            throw .invalidPublicKey("a signer key is the hex or base64 of 33 bytes (secp256k1) or 32 bytes (Ed25519)")
        }
        if bytes.count == 65 {
            self = .secp256k1(try PublicKey(bytes: bytes))
        } else {
            try self.init(bytes: bytes)
        }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while slice.first?.isWhitespace == true { slice.removeFirst() }
        while slice.last?.isWhitespace == true { slice.removeLast() }
        return String(slice)
    }
}
