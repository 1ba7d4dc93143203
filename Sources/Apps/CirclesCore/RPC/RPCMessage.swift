/// What one inbound text frame holds: a single request, a batch, or something to answer with an error at once.
public enum RPCMessage: Sendable {
    /// One request or its rejection.
    case single(RPCCall)
    /// A non-empty batch; each element is validated on its own.
    case batch([RPCCall])

    /// Parses a frame per JSON-RPC 2.0: bad JSON is a parse error, an empty batch an invalid request.
    public static func parse(_ text: String, maxDepth: Int = JSONParser.defaultMaxDepth) -> RPCMessage {
        let json: JSON
        do {
            json = try JSONParser.parse(text, maxDepth: maxDepth)
        } catch {
            return .single(.rejected(RPCResponse(id: .null, error: .parseError(error.description))))
        }
        if case .array(let elements) = json {
            guard !elements.isEmpty else {
                return .single(.rejected(RPCResponse(id: .null, error: .invalidRequest("empty batch"))))
            }
            return .batch(elements.map(RPCRequest.validate))
        }
        return .single(RPCRequest.validate(json))
    }

    /// Serialises the replies of a batch; nil when there is nothing to send (all notifications).
    public static func encodeBatch(_ responses: [RPCResponse]) -> String? {
        responses.isEmpty ? nil : JSON.array(responses.map(\.json)).serialized
    }
}
