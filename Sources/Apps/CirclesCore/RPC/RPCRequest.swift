/// A JSON-RPC 2.0 request; `id == nil` makes it a notification (no reply).
public struct RPCRequest: Sendable, Hashable {
    public var method: String
    public var params: JSON?
    public var id: RPCId?

    public init(method: String, params: JSON? = nil, id: RPCId?) {
        self.method = method
        self.params = params
        self.id = id
    }

    public var isNotification: Bool { id == nil }

    public var json: JSON {
        var object: JSONObject = ["jsonrpc": "2.0", "method": .string(method)]
        if let params { object["params"] = params }
        if let id { object["id"] = id.json }
        return .object(object)
    }

    /// Validates one request object; the error carries the id when one could be read.
    public static func validate(_ json: JSON) -> RPCCall {
        guard case .object(let object) = json else {
            return .rejected(RPCResponse(id: .null, error: .invalidRequest("a request must be an object")))
        }
        var id: RPCId?
        if let rawId = object["id"] {
            guard let parsed = RPCId(json: rawId) else {
                return .rejected(RPCResponse(id: .null, error: .invalidRequest("id must be a number, a string or null")))
            }
            id = parsed
        }
        guard object["jsonrpc"] == .string("2.0") else {
            return .rejected(RPCResponse(id: id ?? .null, error: .invalidRequest("jsonrpc must be \"2.0\"")))
        }
        guard let method = object["method"]?.stringValue else {
            return .rejected(RPCResponse(id: id ?? .null, error: .invalidRequest("method must be a string")))
        }
        let params = object["params"]
        if let params, params.objectValue == nil, params.arrayValue == nil {
            return .rejected(RPCResponse(id: id ?? .null, error: .invalidRequest("params must be an object or an array")))
        }
        return .request(RPCRequest(method: method, params: params, id: id))
    }
}
