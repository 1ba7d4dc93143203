/// A RESP reply.
public enum RedisValue: Sendable, Equatable, CustomStringConvertible {
    case status(String)
    case error(String)
    case integer(Int64)
    case bulk([UInt8]?)
    case array([RedisValue]?)

    /// A bulk or status reply as text.
    public var string: String? {
        switch self {
        case .bulk(let bytes?): String(decoding: bytes, as: UTF8.self)
        case .status(let text): text
        default: nil
        }
    }

    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var array: [RedisValue]? {
        if case .array(let values?) = self { return values }
        return nil
    }

    public var isNil: Bool {
        switch self {
        case .bulk(nil), .array(nil): true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .status(let text): "+\(text)"
        case .error(let text): "-\(text)"
        case .integer(let value): ":\(value)"
        case .bulk(let bytes?): "\"\(String(decoding: bytes, as: UTF8.self))\""
        case .bulk(nil), .array(nil): "(nil)"
        case .array(let values?): "[" + values.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
