import Codecs
/// iDenfy's webhook signature (the `Idenfy-Signature` header): the hex, in either case, of
/// HMAC-SHA256(secret, raw body).
public enum IdenfySignature {
    /// Valid when the header's 32 bytes equal the expected HMAC (compared in constant time).
    public static func verify(header: String?, body: [UInt8], secret: String) -> Result<Void, WebhookSignatureError> {
        var value = Substring(header ?? "")
        while value.first?.isWhitespace == true { value.removeFirst() }
        while value.last?.isWhitespace == true { value.removeLast() }
        guard !value.isEmpty else { return .failure(.missingHeader) }
        guard value.utf8.count == 64, let given = Hex.decode(String(value)), given.count == 32 else {
            return .failure(.malformedHeader("expected 64 hex digits"))
        }
        let expected = HMAC.sha256(key: Array(secret.utf8), message: body)
        return ConstantTime.equals(given, expected) ? .success(()) : .failure(.signatureMismatch)
    }
}
