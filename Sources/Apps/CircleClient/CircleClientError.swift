import CirclesCore

/// Why a client call failed: the JSON-RPC errors of the circles API (SPEC section 4), one case per
/// code, and the client's own failures (connection, timeout, missing key, ...).
public enum CircleClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// -32000: the script did not produce a value.
    case execution(ScriptFailure)
    /// -32001: `play` on a node that requires authentication, before `authenticate`.
    case authenticationRequired
    /// -32002: the signature or the key was refused; the node closes the connection (1008).
    case invalidCredentials(String)
    /// -32003: the nonce was used already, expired, or was issued to another connection.
    case nonceExpired
    /// -32004: the session has as many plays in flight as the node allows.
    case tooManyRequests(String)
    /// -32601
    case methodNotFound(String)
    /// -32602
    case invalidParams(String)
    /// -32600
    case invalidRequest(String)
    /// -32700
    case parseError(String)
    /// -32603
    case internalError(String)
    /// Any other JSON-RPC error code.
    case rpc(code: Int, message: String, data: String?)

    /// No answer within the timeout (seconds), or no connection within it while reconnecting.
    case timeout(method: String, seconds: Double)
    /// The connection closed before the answer came (WebSocket close code and reason).
    case connectionClosed(code: UInt16, reason: String)
    /// The WebSocket connection could not be opened (refused, unreachable, handshake refused, ...).
    case connectFailed(String)
    /// A call before `connect()`, or after the connection dropped without automatic reconnect.
    case notConnected
    /// `close()` ended the call.
    case closed
    /// The task awaiting the call was cancelled.
    case cancelled
    /// `authenticate()` on a client built without a key pair.
    case missingKey
    case invalidURL(String)
    /// The builder was given a value it cannot use.
    case invalidConfiguration(String)
    /// The node answered with something that is not a valid reply to the call.
    case invalidResponse(String)

    /// The JSON-RPC error code this error mirrors, nil for the client's own failures.
    public var rpcCode: Int? {
        switch self {
        case .execution: RPCError.executionErrorCode
        case .authenticationRequired: RPCError.authenticationRequiredCode
        case .invalidCredentials: RPCError.invalidCredentialsCode
        case .nonceExpired: RPCError.nonceExpiredCode
        case .tooManyRequests: RPCError.tooManyRequestsCode
        case .methodNotFound: RPCError.methodNotFoundCode
        case .invalidParams: RPCError.invalidParamsCode
        case .invalidRequest: RPCError.invalidRequestCode
        case .parseError: RPCError.parseErrorCode
        case .internalError: RPCError.internalErrorCode
        case .rpc(let code, _, _): code
        default: nil
        }
    }

    /// The typed form of an error object the node sent.
    public init(_ error: RPCError) {
        let detail = error.data.map { $0.stringValue ?? $0.serialized } ?? error.message
        switch error.code {
        case RPCError.executionErrorCode:
            self = .execution(error.data.flatMap(ScriptFailure.init(json:)) ?? ScriptFailure(kind: ScriptFailure.Kind(rawValue: "unknown"), message: detail))
        case RPCError.authenticationRequiredCode: self = .authenticationRequired
        case RPCError.invalidCredentialsCode: self = .invalidCredentials(detail)
        case RPCError.nonceExpiredCode: self = .nonceExpired
        case RPCError.tooManyRequestsCode: self = .tooManyRequests(detail)
        case RPCError.methodNotFoundCode: self = .methodNotFound(detail)
        case RPCError.invalidParamsCode: self = .invalidParams(detail)
        case RPCError.invalidRequestCode: self = .invalidRequest(detail)
        case RPCError.parseErrorCode: self = .parseError(detail)
        case RPCError.internalErrorCode: self = .internalError(detail)
        default: self = .rpc(code: error.code, message: error.message, data: error.data.map { $0.stringValue ?? $0.serialized })
        }
    }

    public var description: String {
        switch self {
        case .execution(let error): "execution error: \(error)"
        case .authenticationRequired: "authentication required: this circle only runs scripts of authenticated callers"
        case .invalidCredentials(let detail): "invalid credentials: \(detail)"
        case .nonceExpired: "nonce expired or unknown"
        case .tooManyRequests(let detail): "too many requests in flight (\(detail))"
        case .methodNotFound(let method): "method not found: \(method)"
        case .invalidParams(let detail): "invalid params: \(detail)"
        case .invalidRequest(let detail): "invalid request: \(detail)"
        case .parseError(let detail): "the node could not parse the request: \(detail)"
        case .internalError(let detail): "internal error on the node: \(detail)"
        case .rpc(let code, let message, let data): "\(message) (\(code))" + (data.map { ": \($0)" } ?? "")
        case .timeout(let method, let seconds): "\(method): no answer within \(Self.seconds(seconds)) s"
        case .connectionClosed(let code, let reason): "the connection closed (\(code)\(reason.isEmpty ? "" : ": \(reason)"))"
        case .connectFailed(let detail): "cannot connect: \(detail)"
        case .notConnected: "not connected (call connect() first)"
        case .closed: "the client was closed"
        case .cancelled: "cancelled"
        case .missingKey: "no key pair: build the client with keyPair(_:) to authenticate"
        case .invalidURL(let url): "invalid circle URL \(url) (expected ws://host:port/CIRCLE_PUBLIC_KEY or wss://...)"
        case .invalidConfiguration(let detail): "invalid client configuration: \(detail)"
        case .invalidResponse(let detail): "invalid response from the node: \(detail)"
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
