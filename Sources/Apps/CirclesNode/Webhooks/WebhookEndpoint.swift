import Codecs
import CirclesCore
import Transport

/// `POST /webhooks/{provider}/{circle_pk}` (SPEC section 9): checks the provider's HMAC signature with
/// the circle's secret, then runs the circle's webhook script for that provider through the task queue
/// with `WEBHOOK_EVENT` (the parsed payload) and `WEBHOOK_PROVIDER`, as caller `stripe` or `idenfy`.
/// Nothing runs for a refused request.
struct WebhookEndpoint: Sendable {
    static let providers = ["stripe", "idenfy"]

    let runtime: NodeRuntime
    let replays = ReplayCache()
    let clock: @Sendable () -> Double

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let provider = request.parameters["provider"] ?? ""
        guard Self.providers.contains(provider) else { return Self.error(404, "unknown webhook provider: \(provider)") }
        guard let circle = runtime.circle(request.parameters["circle_pk"] ?? "") else { return Self.error(404, "unknown circle") }
        guard let secret = circle.webhookSecrets[provider], let script = circle.webhookScripts[provider] else {
            return Self.error(404, "\(provider) webhooks are not configured for this circle")
        }
        let now = clock()
        let verdict: Result<Void, WebhookSignatureError>
        if provider == "stripe" {
            let header = request.header("Stripe-Signature")
            verdict = StripeSignature.verify(header: header, body: request.body, secret: secret, now: Int64(now),
                                             tolerance: Int64(runtime.options.webhookTolerance))
            if case .success = verdict, case .success(let parsed) = StripeSignature.parse(header) {
                let key = "\(circle.publicKey):\(parsed.timestamp):" + Hex.encode(SHA256.hash(request.body))
                guard replays.insert(key, expiry: Double(parsed.timestamp) + runtime.options.webhookTolerance, now: now) else {
                    return Self.error(401, "this event was already delivered (replay)")
                }
            }
        } else {
            verdict = IdenfySignature.verify(header: request.header("Idenfy-Signature"), body: request.body, secret: secret)
        }
        if case .failure(let error) = verdict { return Self.error(401, error.description) }
        // iDenfy signs the body only, so a captured delivery verifies forever: the same body is run once
        // within the replay window (a delivery whose script failed may be sent again).
        var replayKey: String?
        if provider == "idenfy" {
            let key = "\(circle.publicKey):idenfy:" + Hex.encode(SHA256.hash(request.body))
            guard replays.insert(key, expiry: now + runtime.options.webhookReplayWindow, now: now) else {
                return Self.error(401, "this event was already delivered (replay)")
            }
            replayKey = key
        }
        guard circle.policy.rights(of: provider, in: circle.publicKey)?.contains(.webhooks) == true else {
            return Self.error(403, "the circle's policy does not let \(provider) events run its script")
        }
        let event: JSON
        do {
            event = try JSONParser.parse(String(decoding: request.body, as: UTF8.self))
        } catch {
            return Self.error(400, "the body is not JSON: \(error)")
        }
        let task = ScriptTask(circle: circle.publicKey, caller: provider, script: script,
                              constants: ["WEBHOOK_EVENT": event, "WEBHOOK_PROVIDER": .string(provider)], createdAt: now)
        do throws(QueueError) {
            let result = try await runtime.queue.submit(task, timeout: runtime.options.playTimeout)
            switch result.outcome {
            case .success(let output):
                return .json(200, JSON.object(["output": .string(output)]).serialized)
            case .failure(let failure):
                if let replayKey { replays.remove(replayKey) }
                return .json(500, JSON.object(["error": failure.json]).serialized)
            }
        } catch {
            if let replayKey { replays.remove(replayKey) }
            return Self.error(503, error.description)
        }
    }

    static func error(_ status: Int, _ message: String) -> HTTPResponse {
        .json(status, JSON.object(["error": .string(message)]).serialized)
    }
}
