import CirclesCore

/// Why a script did not produce a value: the `data` of the -32000 "Execution error" reply.
public struct ScriptFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        case parse, runtime, limit, timeout, denied
    }

    public var kind: Kind
    public var message: String
    public var line: Int?
    public var column: Int?

    public init(kind: Kind, message: String, line: Int? = nil, column: Int? = nil) {
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        if let line, let column { return "\(kind.rawValue) error at \(line):\(column): \(message)" }
        return "\(kind.rawValue) error: \(message)"
    }

    public var json: JSON {
        var object: JSONObject = ["kind": .string(kind.rawValue), "message": .string(message)]
        object["line"] = line.map { .int(Int64($0)) } ?? .null
        object["column"] = column.map { .int(Int64($0)) } ?? .null
        return .object(object)
    }

    public init?(json: JSON) {
        guard let kind = json["kind"]?.stringValue.flatMap(Kind.init(rawValue:)),
            let message = json["message"]?.stringValue
        else { return nil }
        self.init(kind: kind, message: message, line: json["line"]?.intValue.map(Int.init),
                  column: json["column"]?.intValue.map(Int.init))
    }
}
