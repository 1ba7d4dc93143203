import Codecs
/// Stripe's webhook signature (the `Stripe-Signature` header): `t=TIMESTAMP,v1=HEX[,v1=HEX...]`, where
/// each v1 may be HMAC-SHA256(secret, "TIMESTAMP." + raw body) in hex. Other schemes (such as v0) and
/// v1 values that are not 64 hex digits are ignored.
public enum StripeSignature {
    /// The parts of the header that matter.
    public struct Header: Sendable, Equatable {
        /// Unix seconds.
        public var timestamp: Int64
        /// The v1 signatures, 32 bytes each.
        public var signatures: [[UInt8]]

        public init(timestamp: Int64, signatures: [[UInt8]]) {
            self.timestamp = timestamp
            self.signatures = signatures
        }
    }

    /// Valid when some v1 equals the expected HMAC (compared in constant time) and |now - t| <= tolerance.
    /// `now` and `tolerance` are in seconds; `secret` is the endpoint's signing secret as given (`whsec_…`).
    public static func verify(header: String?, body: [UInt8], secret: String, now: Int64,
                              tolerance: Int64 = 300) -> Result<Void, WebhookSignatureError> {
        let parsed: Header
        switch parse(header) {
        case .success(let header): parsed = header
        case .failure(let error): return .failure(error)
        }
        let (difference, overflow) = now.subtractingReportingOverflow(parsed.timestamp)
        guard !overflow, difference.magnitude <= max(tolerance, 0).magnitude else {
            return .failure(.timestampOutsideTolerance(timestamp: parsed.timestamp, tolerance: tolerance))
        }
        let expected = HMAC.sha256(key: Array(secret.utf8), message: Array("\(parsed.timestamp).".utf8) + body)
        var matched = false
        for candidate in parsed.signatures where ConstantTime.equals(candidate, expected) { matched = true }
        return matched ? .success(()) : .failure(.signatureMismatch)
    }

    /// Reads the header; fails when it is absent or empty, or has no `t`, a repeated or non-numeric `t`,
    /// or no usable v1.
    public static func parse(_ header: String?) -> Result<Header, WebhookSignatureError> {
        guard let header, header.contains(where: { !$0.isWhitespace }) else { return .failure(.missingHeader) }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for item in header.split(separator: ",", omittingEmptySubsequences: true) {
            guard let equals = item.firstIndex(of: "=") else { continue }
            let key = trimmed(item[..<equals])
            let value = trimmed(item[item.index(after: equals)...])
            switch key {
            case "t":
                guard timestamp == nil else { return .failure(.malformedHeader("more than one t")) }
                guard !value.isEmpty, value.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                      let seconds = Int64(value) else {
                    return .failure(.malformedHeader("t is not a number of seconds"))
                }
                timestamp = seconds
            case "v1":
                if value.utf8.count == 64, let bytes = Hex.decode(String(value)), bytes.count == 32 { signatures.append(bytes) }
            default:
                continue
            }
        }
        guard let timestamp else { return .failure(.malformedHeader("no t=TIMESTAMP")) }
        guard !signatures.isEmpty else { return .failure(.malformedHeader("no v1 signature")) }
        return .success(Header(timestamp: timestamp, signatures: signatures))
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var slice = text
        while slice.first?.isWhitespace == true { slice.removeFirst() }
        while slice.last?.isWhitespace == true { slice.removeLast() }
        return slice
    }
}
