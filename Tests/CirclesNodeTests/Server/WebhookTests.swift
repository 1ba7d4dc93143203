import CirclesCore
import CirclesTestSupport
import Foundation
import TestSupport
import Testing
@testable import CirclesNode

/// Webhooks end to end: signatures computed independently (Python's hmac), the circle's script run
/// through the queue with the event, and every refusal running nothing.
@Suite struct WebhookTests {
    static let secret = "whsec_test_\(UUID().uuidString)"
    static let script = """
        let n = 0;
        try { n = load_data("events"); } catch { }
        save_data("events", n + 1);
        `${WEBHOOK_PROVIDER}:${WEBHOOK_EVENT.type}:${WEBHOOK_EVENT.data.amount}:${CALLER_PUBLIC_KEY}:${n + 1}`
        """

    static func rig() throws -> NodeRig {
        try NodeRig { options in
            options.circles[0].webhookSecrets = ["stripe": secret, "idenfy": secret]
            options.circles[0].webhookScripts = ["stripe": script, "idenfy": script]
            options.webhookBodyLimit = 4096
        }
    }

    /// Stripe and iDenfy headers for `body`, made by Python.
    static func sign(_ body: String, timestamp: Int = Int(Date().timeIntervalSince1970), secret: String = secret) async throws
        -> (stripe: String, idenfy: String)
    {
        let file = try TemporaryDirectory.make(prefix: "circles-webhook") + "/body"
        try body.write(toFile: file, atomically: true, encoding: .utf8)
        let signed = try await onDedicatedThread { try Python.runJSON(script: "webhook_sign.py", arguments: [secret, String(timestamp), file]) }
        return (signed["stripe"].string ?? "", signed["idenfy"].string ?? "")
    }

    static let event = #"{"type":"payment_intent.succeeded","data":{"amount":1200}}"#

    @Test func validEventsRunTheCirclesScriptAndAnswerItsOutput() async throws {
        let rig = try Self.rig()
        let signed = try await Self.sign(Self.event)
        let stripe = try await rig.post("/webhooks/stripe/\(rig.circle)", headers: ["Stripe-Signature": signed.stripe], body: Self.event)
        #expect(stripe.status == 200, "\(stripe.body)")
        #expect(try JSONParser.parse(stripe.body)["output"]?.stringValue == "stripe:payment_intent.succeeded:1200:stripe:1")
        let idenfy = try await rig.post("/webhooks/idenfy/\(rig.circle)", headers: ["Idenfy-Signature": signed.idenfy], body: Self.event)
        #expect(idenfy.status == 200)
        #expect(try JSONParser.parse(idenfy.body)["output"]?.stringValue == "idenfy:payment_intent.succeeded:1200:idenfy:2")
        try await rig.stop()
    }

    @Test func refusedRequestsRunNothing() async throws {
        let rig = try Self.rig()
        let path = "/webhooks/stripe/\(rig.circle)"
        let signed = try await Self.sign(Self.event)
        let tampered = Self.event.replacingOccurrences(of: "1200", with: "9999")
        let old = try await Self.sign(Self.event, timestamp: Int(Date().timeIntervalSince1970) - 3600)
        let wrongSecret = try await Self.sign(Self.event, secret: "whsec_other")
        let notJSON = "amount=1200"
        let notJSONSigned = try await Self.sign(notJSON)
        let cases: [(String, [String: String], String, Int)] = [
            (path, [:], Self.event, 401),
            (path, ["Stripe-Signature": "garbage"], Self.event, 401),
            (path, ["Stripe-Signature": signed.stripe], tampered, 401),
            (path, ["Stripe-Signature": old.stripe], Self.event, 401),
            (path, ["Stripe-Signature": wrongSecret.stripe], Self.event, 401),
            ("/webhooks/idenfy/\(rig.circle)", ["Idenfy-Signature": signed.idenfy], tampered, 401),
            ("/webhooks/idenfy/\(rig.circle)", ["Idenfy-Signature": signed.stripe], Self.event, 401),
            ("/webhooks/paypal/\(rig.circle)", ["Stripe-Signature": signed.stripe], Self.event, 404),
            ("/webhooks/stripe/\(PrivateKey().publicKey.hex)", ["Stripe-Signature": signed.stripe], Self.event, 404),
            (path, ["Stripe-Signature": notJSONSigned.stripe], notJSON, 400),
            (path, ["Stripe-Signature": signed.stripe], String(repeating: " ", count: 5000), 413),
        ]
        for (target, headers, body, status) in cases {
            let answer = try await rig.post(target, headers: headers, body: body)
            #expect(answer.status == status, "\(target) \(headers) -> \(answer.body)")
        }
        let accepted = try await rig.post(path, headers: ["Stripe-Signature": signed.stripe], body: Self.event)
        #expect(try JSONParser.parse(accepted.body)["output"]?.stringValue?.hasSuffix(":1") == true, "no refused request ran")
        let replayed = try await rig.post(path, headers: ["Stripe-Signature": signed.stripe], body: Self.event)
        #expect(replayed.status == 401)
        #expect(replayed.body.contains("replay"))
        try await rig.stop()
    }

    @Test func aFailingScriptIsA500WithTheScriptError() async throws {
        let rig = try NodeRig { options in
            options.circles[0].webhookSecrets = ["idenfy": Self.secret]
            options.circles[0].webhookScripts = ["idenfy": "let x = WEBHOOK_EVENT.status;\nthrow `rejected ${x}`"]
        }
        let body = #"{"status":"DENIED"}"#
        let answer = try await rig.post("/webhooks/idenfy/\(rig.circle)", headers: ["Idenfy-Signature": try await Self.sign(body).idenfy], body: body)
        #expect(answer.status == 500)
        let error = try JSONParser.parse(answer.body)["error"]
        #expect(error?["kind"]?.stringValue == "runtime")
        #expect(error?["message"]?.stringValue?.contains("rejected DENIED") == true)
        #expect(error?["line"]?.intValue == 2)
        let stripe = try await rig.post("/webhooks/stripe/\(rig.circle)", headers: [:], body: body)
        #expect(stripe.status == 404)
        try await rig.stop()
    }

    @Test func aReplayedIdenfyDeliveryRunsTheScriptOnceWithTheOwnersRights() async throws {
        // The circle grants nobody data: the webhook script writes with its owner's rights.
        let rig = try NodeRig { options in
            options.circles[0].policy = CirclePolicy()
            options.circles[0].webhookSecrets = ["idenfy": Self.secret]
            options.circles[0].webhookScripts = ["idenfy": Self.script]
        }
        let path = "/webhooks/idenfy/\(rig.circle)"
        let signed = try await Self.sign(Self.event)
        var statuses: [Int] = []
        for _ in 0..<3 { statuses.append(try await rig.post(path, headers: ["Idenfy-Signature": signed.idenfy], body: Self.event).status) }
        #expect(statuses == [200, 401, 401])
        let other = #"{"type":"other","data":{"amount":5}}"#
        let next = try await rig.post(path, headers: ["Idenfy-Signature": try await Self.sign(other).idenfy], body: other)
        #expect(try JSONParser.parse(next.body)["output"]?.stringValue == "idenfy:other:5:idenfy:2", "the three deliveries ran the script once")
        try await rig.stop()
    }
}
