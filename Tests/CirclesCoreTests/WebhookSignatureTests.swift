import Codecs
import CirclesCore
import Testing

@Suite struct WebhookSignatureTests {
    // MARK: Stripe

    /// Expected values computed independently with Python's hmac module.
    static let stripeSecret = "whsec_test_secret"
    static let stripeBody = Array(#"{"id":"evt_1","type":"payment_intent.succeeded"}"#.utf8)
    static let stripeTimestamp: Int64 = 1_700_000_000
    static let stripeV1 = "22d8dc182f5c588077683bd378368e29765bfe5df2560112b4f28fef120f0e31"
    static let stripeHeader = "t=1700000000,v1=\(stripeV1)"

    private func stripe(_ header: String?, body: [UInt8] = stripeBody, secret: String = stripeSecret,
                        now: Int64 = stripeTimestamp + 10, tolerance: Int64 = 300) -> Result<Void, WebhookSignatureError> {
        StripeSignature.verify(header: header, body: body, secret: secret, now: now, tolerance: tolerance)
    }

    private func failure(_ result: Result<Void, WebhookSignatureError>) -> WebhookSignatureError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    @Test func stripeAcceptsAValidSignature() {
        #expect(failure(stripe(Self.stripeHeader)) == nil)
        #expect(failure(stripe("t=1700000000,v1=\(Self.stripeV1.uppercased())")) == nil)
        #expect(failure(stripe(Self.stripeHeader, now: Self.stripeTimestamp)) == nil)
    }

    @Test func stripeAcceptsOneMatchingSignatureAmongSeveral() {
        let other = String(repeating: "ab", count: 32)
        let header = "t=1700000000,v1=\(other),v0=\(Self.stripeV1),v1=\(Self.stripeV1),v1=zz,scheme=x"
        #expect(failure(stripe(header)) == nil)
        #expect(failure(stripe("t=1700000000,v1=\(other),v1=\(String(repeating: "cd", count: 32))")) == .signatureMismatch)
        // A correct value under another scheme is not a v1 signature.
        #expect(failure(stripe("t=1700000000,v0=\(Self.stripeV1),v1=\(other)")) == .signatureMismatch)
    }

    @Test func stripeRejectsATamperedBodyOrTheWrongSecret() {
        var body = Self.stripeBody
        body[body.count - 2] = UInt8(ascii: "x")
        #expect(failure(stripe(Self.stripeHeader, body: body)) == .signatureMismatch)
        #expect(failure(stripe(Self.stripeHeader, body: Self.stripeBody + [UInt8(ascii: "\n")])) == .signatureMismatch)
        #expect(failure(stripe(Self.stripeHeader, body: [])) == .signatureMismatch)
        #expect(failure(stripe(Self.stripeHeader, secret: "whsec_other")) == .signatureMismatch)
        // The timestamp is signed too.
        #expect(failure(stripe("t=1700000001,v1=\(Self.stripeV1)", now: Self.stripeTimestamp)) == .signatureMismatch)
    }

    @Test func stripeEnforcesTheToleranceBothWays() {
        let outside = WebhookSignatureError.timestampOutsideTolerance(timestamp: Self.stripeTimestamp, tolerance: 300)
        #expect(failure(stripe(Self.stripeHeader, now: Self.stripeTimestamp + 300)) == nil)
        #expect(failure(stripe(Self.stripeHeader, now: Self.stripeTimestamp - 300)) == nil)
        #expect(failure(stripe(Self.stripeHeader, now: Self.stripeTimestamp + 301)) == outside)
        #expect(failure(stripe(Self.stripeHeader, now: Self.stripeTimestamp + 86_400)) == outside)
        #expect(failure(stripe(Self.stripeHeader, now: Self.stripeTimestamp - 301)) == outside)
        #expect(failure(stripe(Self.stripeHeader, now: .min)) == outside)
        #expect(failure(stripe(Self.stripeHeader, now: Self.stripeTimestamp + 20, tolerance: 10))
                == .timestampOutsideTolerance(timestamp: Self.stripeTimestamp, tolerance: 10))
        #expect(failure(stripe("t=9223372036854775807,v1=\(Self.stripeV1)", now: -5)) != nil)
    }

    @Test(arguments: [
        "v1=22d8dc182f5c588077683bd378368e29765bfe5df2560112b4f28fef120f0e31", // no t
        "t=,v1=22d8dc182f5c588077683bd378368e29765bfe5df2560112b4f28fef120f0e31",
        "t=abc,v1=22d8dc182f5c588077683bd378368e29765bfe5df2560112b4f28fef120f0e31",
        "t=-1700000000,v1=22d8dc182f5c588077683bd378368e29765bfe5df2560112b4f28fef120f0e31",
        "t=+1700000000,v1=22d8dc182f5c588077683bd378368e29765bfe5df2560112b4f28fef120f0e31",
        "t=1.7e9,v1=22d8dc182f5c588077683bd378368e29765bfe5df2560112b4f28fef120f0e31",
        "t=99999999999999999999,v1=22d8dc182f5c588077683bd378368e29765bfe5df2560112b4f28fef120f0e31",
        "t=1700000000,t=1700000000,v1=22d8dc182f5c588077683bd378368e29765bfe5df2560112b4f28fef120f0e31",
        "t=1700000000", // no v1
        "t=1700000000,v0=22d8dc182f5c588077683bd378368e29765bfe5df2560112b4f28fef120f0e31",
        "t=1700000000,v1=",
        "t=1700000000,v1=22d8dc18",
        "t=1700000000,v1=zz",
        "garbage",
        ",,,",
    ])
    func stripeRejectsMalformedHeaders(header: String) {
        guard case .malformedHeader(let reason)? = failure(stripe(header)) else {
            Issue.record("\(header) was not refused as malformed")
            return
        }
        #expect(!reason.isEmpty)
    }

    @Test func stripeReportsAMissingHeader() {
        #expect(failure(stripe(nil)) == .missingHeader)
        #expect(failure(stripe("")) == .missingHeader)
        #expect(failure(stripe("  ")) == .missingHeader)
    }

    @Test func stripeParsesTheHeaderParts() throws {
        let other = String(repeating: "0f", count: 32)
        let parsed = try StripeSignature.parse("t=42, v1=\(Self.stripeV1) ,v1=\(other.uppercased())").get()
        #expect(parsed == StripeSignature.Header(timestamp: 42, signatures: [Hex.decode(Self.stripeV1)!, Hex.decode(other)!]))
    }

    // MARK: iDenfy

    static let idenfySecret = "idenfy-secret"
    static let idenfyBody = Array(#"{"clientId":"client-42","final":true,"status":{"overall":"APPROVED"}}"#.utf8)
    static let idenfyHex = "db8f143f7a7b634b67e7b3fbaf31fc14c91c2ccf1c8872b2f04b8519d21c3240"

    private func idenfy(_ header: String?, body: [UInt8] = idenfyBody, secret: String = idenfySecret) -> Result<Void, WebhookSignatureError> {
        IdenfySignature.verify(header: header, body: body, secret: secret)
    }

    @Test func idenfyAcceptsLowerAndUpperCaseHex() {
        #expect(failure(idenfy(Self.idenfyHex)) == nil)
        #expect(failure(idenfy(Self.idenfyHex.uppercased())) == nil)
        #expect(failure(idenfy(" \(Self.idenfyHex)\r\n")) == nil)
    }

    @Test func idenfyRejectsATamperedBodyOrTheWrongSecret() {
        #expect(failure(idenfy(Self.idenfyHex, body: Array(Self.idenfyBody.dropLast()))) == .signatureMismatch)
        #expect(failure(idenfy(Self.idenfyHex, body: [])) == .signatureMismatch)
        #expect(failure(idenfy(Self.idenfyHex, secret: "idenfy-secreT")) == .signatureMismatch)
        let flipped = "eb" + Self.idenfyHex.dropFirst(2)
        #expect(failure(idenfy(String(flipped))) == .signatureMismatch)
    }

    @Test func idenfyRejectsMissingAndMalformedHeaders() {
        #expect(failure(idenfy(nil)) == .missingHeader)
        #expect(failure(idenfy("")) == .missingHeader)
        #expect(failure(idenfy(" \t")) == .missingHeader)
        for bad in ["zz", String(Self.idenfyHex.dropLast()), Self.idenfyHex + "00", String("0x" + Self.idenfyHex.dropLast(2)),
                    "sha256=" + Self.idenfyHex, String(Self.idenfyHex.dropLast()) + "g"] {
            guard case .malformedHeader? = failure(idenfy(bad)) else {
                Issue.record("\(bad) was not refused as malformed")
                continue
            }
        }
    }

    // MARK: Errors

    @Test func errorsDescribeThemselves() {
        let errors: [WebhookSignatureError] = [
            .missingHeader, .malformedHeader("no t=TIMESTAMP"),
            .timestampOutsideTolerance(timestamp: 1_700_000_000, tolerance: 300), .signatureMismatch,
        ]
        let descriptions = errors.map(\.description)
        #expect(Set(descriptions).count == errors.count)
        #expect(descriptions[0].contains("missing"))
        #expect(descriptions[1].contains("no t=TIMESTAMP"))
        #expect(descriptions[2].contains("1700000000") && descriptions[2].contains("300"))
        #expect(descriptions[3].contains("does not match"))
    }
}
