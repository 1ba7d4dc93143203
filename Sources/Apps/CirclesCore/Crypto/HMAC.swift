import COpenSSL

/// HMAC (RFC 2104) through OpenSSL's one-shot `HMAC()`.
public enum HMAC {
    /// The 32-byte HMAC-SHA256 of `message` under `key` (any length; longer than 64 bytes is hashed first).
    public static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var mac = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        // OpenSSL wants real pointers even for empty inputs, which Swift arrays may not provide.
        let zero: [UInt8] = [0]
        let keyBytes = key.isEmpty ? zero : key
        let messageBytes = message.isEmpty ? zero : message
        let result = keyBytes.withUnsafeBufferPointer { keyBuffer in
            messageBytes.withUnsafeBufferPointer { messageBuffer in
                COpenSSL.HMAC(EVP_sha256(), keyBuffer.baseAddress, Int32(key.count),
                              messageBuffer.baseAddress, message.count, &mac, &length)
            }
        }
        precondition(result != nil && length == 32, "HMAC-SHA256 failed in OpenSSL")
        return mac
    }
}
