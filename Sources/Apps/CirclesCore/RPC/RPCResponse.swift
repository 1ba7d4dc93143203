/// A JSON-RPC 2.0 response: a result or an error, for one id.
public struct RPCResponse: Sendable, Hashable {
    public var id: RPCId
    public var outcome: Result<JSON, RPCError>

    public init(id: RPCId, result: JSON) {
        self.id = id
        outcome = .success(result)
    }

    public init(id: RPCId, error: RPCError) {
        self.id = id
        outcome = .failure(error)
    }

    public var json: JSON {
        var object: JSONObject = ["jsonrpc": "2.0"]
        switch outcome {
        case .success(let result): object["result"] = result
        case .failure(let error): object["error"] = error.json
        }
        object["id"] = id.json
        return .object(object)
    }

    /// Reads a response object (client side); nil when it is not one.
    public init?(json: JSON) {
        guard case .object(let object) = json, let rawId = object["id"], let id = RPCId(json: rawId) else { return nil }
        self.id = id
        if let error = object["error"] {
            guard let parsed = RPCError(json: error) else { return nil }
            outcome = .failure(parsed)
        } else if let result = object["result"] {
            outcome = .success(result)
        } else {
            return nil
        }
    }
}
