/// A JSON-RPC error object: the standard codes and the circles API codes (SPEC section 4).
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: JSON?

    public init(code: Int, message: String, data: JSON? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String {
        data.map { "\(message) (\(code)): \($0.serialized)" } ?? "\(message) (\(code))"
    }

    public var json: JSON {
        var object: JSONObject = ["code": .int(Int64(code)), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }

    public init?(json: JSON) {
        guard let code = json["code"]?.intValue, let message = json["message"]?.stringValue else { return nil }
        self.init(code: Int(code), message: message, data: json["data"])
    }
}

extension RPCError {
    public static let parseErrorCode = -32700
    public static let invalidRequestCode = -32600
    public static let methodNotFoundCode = -32601
    public static let invalidParamsCode = -32602
    public static let internalErrorCode = -32603
    public static let executionErrorCode = -32000
    public static let authenticationRequiredCode = -32001
    public static let invalidCredentialsCode = -32002
    public static let nonceExpiredCode = -32003
    public static let tooManyRequestsCode = -32004

    public static func parseError(_ detail: String) -> RPCError {
        RPCError(code: parseErrorCode, message: "Parse error", data: .string(detail))
    }
    public static func invalidRequest(_ detail: String) -> RPCError {
        RPCError(code: invalidRequestCode, message: "Invalid Request", data: .string(detail))
    }
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: methodNotFoundCode, message: "Method not found", data: .string(method))
    }
    public static func invalidParams(_ detail: String) -> RPCError {
        RPCError(code: invalidParamsCode, message: "Invalid params", data: .string(detail))
    }
    public static func internalError(_ detail: String) -> RPCError {
        RPCError(code: internalErrorCode, message: "Internal error", data: .string(detail))
    }
    public static func executionError(_ data: JSON) -> RPCError {
        RPCError(code: executionErrorCode, message: "Execution error", data: data)
    }
    public static let authenticationRequired = RPCError(code: authenticationRequiredCode, message: "Authentication required")
    public static func invalidCredentials(_ detail: String) -> RPCError {
        RPCError(code: invalidCredentialsCode, message: "Invalid credentials", data: .string(detail))
    }
    public static let nonceExpired = RPCError(code: nonceExpiredCode, message: "Nonce expired or unknown")
    public static func tooManyRequests(_ limit: Int) -> RPCError {
        RPCError(code: tooManyRequestsCode, message: "Too many requests in flight", data: .string("limit is \(limit) per session"))
    }
}
