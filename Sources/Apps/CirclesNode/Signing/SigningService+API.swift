import Codecs
import CirclesCore
import Transport

extension SigningService {
    /// `POST /api/sign {"public_key": hex or base64, "message": base64}`: 200 `{"response": base64,
    /// "signature": base64}`; errors are `{"error": CODE, "message": TEXT}` with 400 (bad body), 401/403
    /// (access), 404 `connection_not_found`, 504 `timeout`, 422 `invalid_signature` / `channel_closed`.
    func handleAPI(_ request: HTTPRequest, apiToken: String?) async -> HTTPResponse {
        switch SigningAccess.decide(peerHost: request.peerHost, authorization: request.header("Authorization"), token: apiToken) {
        case .allowed:
            break
        case .unauthorized(let reason):
            var response = Self.failure(401, "unauthorized", reason)
            response.headers.append(("WWW-Authenticate", "Bearer"))
            return response
        case .forbidden(let reason):
            return Self.failure(403, "forbidden", reason)
        }
        let json: JSON
        do {
            json = try JSONParser.parse(request.body)
        } catch {
            return Self.failure(400, SigningProtocolError.invalidJSON, "the body is not JSON: \(error)")
        }
        guard let keyText = json["public_key"]?.stringValue, let messageText = json["message"]?.stringValue else {
            return Self.failure(400, SigningProtocolError.invalidMessage, "the body is {\"public_key\": string, \"message\": base64 string}")
        }
        let key: SignerKey
        do {
            key = try SignerKey(text: keyText)
        } catch {
            return Self.failure(400, SigningProtocolError.invalidPublicKey, error.description)
        }
        guard let message = Base64.decode(messageText) else {
            return Self.failure(400, SigningProtocolError.invalidMessage, "message is not base64")
        }
        do {
            let signed = try await sendToSign(publicKey: key, message: message)
            let body: JSON = ["response": .string(Base64.encode(signed.message)), "signature": .string(Base64.encode(signed.signature))]
            return .json(200, body.serialized)
        } catch {
            return Self.failure(error.httpStatus, error.code, error.description)
        }
    }

    private static func failure(_ status: Int, _ code: String, _ message: String) -> HTTPResponse {
        let body: JSON = ["error": .string(code), "message": .string(message)]
        return .json(status, body.serialized)
    }
}
