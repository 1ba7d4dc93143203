import Codecs
import CSecp256k1

/// A secp256k1 public key. Parsed from the hex of its 33-byte compressed or 65-byte uncompressed SEC1
/// form (never the hybrid form); always shown as the compressed form's lowercase hex (66 characters): a circle's id.
public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
    /// The 33-byte compressed form.
    public let compressed: [UInt8]
    /// libsecp256k1's parsed form, kept so that a verify does not parse (decompress) the key again.
    let parsed: secp256k1_pubkey

    public init(hex: String) throws(IdentityError) {
        guard let bytes = Hex.decode(hex) else { throw .invalidPublicKey("not hex") }
        try self.init(bytes: bytes)
    }

    public init(bytes: [UInt8]) throws(IdentityError) {
        guard bytes.count == 33 || bytes.count == 65 else {
            throw .invalidPublicKey("expected 33 (compressed) or 65 (uncompressed) bytes, got \(bytes.count)")
        }
        // libsecp256k1 also parses the hybrid forms (0x06/0x07 + x + y), which nothing should send.
        guard bytes.count == 33 ? (bytes[0] == 0x02 || bytes[0] == 0x03) : bytes[0] == 0x04 else {
            throw .invalidPublicKey("a compressed key starts with 02 or 03, an uncompressed one with 04 (hybrid 06/07 keys are refused)")
        }
        var key = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(Secp256k1Context.shared.raw, &key, bytes, bytes.count) == 1 else {
            throw .invalidPublicKey("not a point on secp256k1")
        }
        self.init(key)
    }

    init(_ key: secp256k1_pubkey) {
        parsed = key
        compressed = Self.serialize(key, compressed: true)
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.compressed == rhs.compressed }
    public func hash(into hasher: inout Hasher) { hasher.combine(compressed) }

    /// The lowercase hex of the compressed form.
    public var hex: String { Hex.encode(compressed) }
    public var description: String { hex }

    /// The 65-byte uncompressed form.
    public var uncompressed: [UInt8] { Self.serialize(parsed, compressed: false) }

    static func serialize(_ key: secp256k1_pubkey, compressed: Bool) -> [UInt8] {
        var key = key
        var output = [UInt8](repeating: 0, count: compressed ? 33 : 65)
        var length = output.count
        _ = secp256k1_ec_pubkey_serialize(Secp256k1Context.shared.raw, &output, &length, &key,
                                          UInt32(compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED))
        return output
    }
}
