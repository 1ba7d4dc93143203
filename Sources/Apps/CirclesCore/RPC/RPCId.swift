/// A JSON-RPC request id: a number, a string, or null.
public enum RPCId: Sendable, Hashable, CustomStringConvertible {
    case int(Int64)
    case string(String)
    case null

    /// The id of a request, or nil when the JSON is not a valid id.
    public init?(json: JSON) {
        switch json {
        case .int(let value): self = .int(value)
        case .string(let value): self = .string(value)
        case .null: self = .null
        default: return nil
        }
    }

    public var json: JSON {
        switch self {
        case .int(let value): .int(value)
        case .string(let value): .string(value)
        case .null: .null
        }
    }

    public var description: String { json.serialized }
}
