import CirclesCore

extension CircleSession {
    /// `fetch_nonce {pubkey}`: a fresh nonce for this connection and key (secp256k1 or Ed25519, by length).
    func fetchNonce(_ params: JSONObject?, id: RPCId) async -> (RPCResponse?, Bool) {
        func fail(_ error: RPCError) -> (RPCResponse?, Bool) { (RPCResponse(id: id, error: error), false) }
        guard let raw = params?["pubkey"]?.stringValue else { return fail(.invalidParams("pubkey (string) is required")) }
        let pubkey: CallerKey
        do {
            pubkey = try CallerKey(hex: raw)
        } catch {
            return fail(.invalidParams(error.description))
        }
        nonceKey = (raw, pubkey)
        do {
            let issued = try await nonces.ask(timeout: settings.nonceTimeout) { .issue(pubkey: pubkey.hex, connection: connection, $0) }
            switch issued {
            case .success(let nonce):
                return (RPCResponse(id: id, result: ["nonce": .string(nonce.nonce), "expires_at": .int(Int64(nonce.expiresAt))]), false)
            case .failure(.full(let capacity)):
                return fail(.internalError("the nonce store is full (\(capacity)); try again shortly"))
            }
        } catch {
            return fail(.internalError("nonce store: \(error)"))
        }
    }

    /// `authenticate {pubkey, signature}`: consumes the key's nonce and checks the signature over the
    /// bound message (SPEC 3.1) or, unless the node or circle requires the bound form, the bare nonce.
    /// Refused credentials close the connection (1008) after the reply.
    func authenticate(_ params: JSONObject?, id: RPCId) async -> (RPCResponse?, Bool) {
        guard let raw = params?["pubkey"]?.stringValue, let signature = params?["signature"]?.stringValue else {
            return (RPCResponse(id: id, error: .invalidParams("pubkey and signature (strings) are required")), false)
        }
        func refuse(_ reason: String) -> (RPCResponse?, Bool) {
            metrics.authFailed.increment()
            settings.logger?.debug("authentication failed: \(reason)", metadata: logMetadata(["caller": "\(raw)", "request": "\(id)"]))
            return (RPCResponse(id: id, error: .invalidCredentials(reason)), true)
        }
        let pubkey: CallerKey
        do {
            if let nonceKey, nonceKey.hex == raw { pubkey = nonceKey.key } else { pubkey = try CallerKey(hex: raw) }
        } catch {
            return refuse(error.description)
        }
        let nonce: String?
        do {
            nonce = try await nonces.ask(timeout: settings.nonceTimeout) { .consume(pubkey: pubkey.hex, connection: connection, $0) }
        } catch {
            return (RPCResponse(id: id, error: .internalError("nonce store: \(error)")), false)
        }
        guard let nonce else {
            metrics.authFailed.increment()
            return (RPCResponse(id: id, error: .nonceExpired), false)
        }
        if let reason = Self.check(signature, by: pubkey, nonce: nonce, settings: settings) { return refuse(reason) }
        authenticated = pubkey
        metrics.authSucceeded.increment()
        settings.logger?.debug("authenticated", metadata: logMetadata(["caller": "\(raw)", "request": "\(id)"]))
        return (RPCResponse(id: id, result: ["authenticated": true]), false)
    }

    /// Nil when `signature` is `key`'s over an accepted message for `nonce`, else why not. The bound
    /// message is built with the `Host` of this connection's upgrade request (as sent, and lowercased),
    /// which must be one of the node's public names when it has any.
    static func check(_ signature: String, by key: CallerKey, nonce: String, settings: SessionSettings) -> String? {
        var firstError: IdentityError?
        if let host = settings.host, settings.publicHosts.isEmpty || RequestAdmission.names(host, among: settings.publicHosts) {
            for candidate in Set([host, host.lowercased()]) {
                do {
                    try key.verify(signatureHex: signature, message: SignatureDomain.authentication(host: candidate, circle: settings.circle, nonce: nonce))
                    return nil
                } catch {
                    firstError = firstError ?? error
                }
            }
        }
        do {
            try key.verify(signatureHex: signature, message: Array(nonce.utf8))
        } catch {
            return (firstError ?? error).description
        }
        guard settings.requireBoundAuth else { return nil }
        return "this circle accepts only the bound form of the signature (SPEC 3.1: circles-auth:v1, host, circle, nonce), not the bare nonce"
    }
}
