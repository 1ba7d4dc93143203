/// Why a script did not produce a value: the `data` of the -32000 "Execution error" reply (SPEC
/// section 4), what kind of failure, its message, and where in the script when known (1-based line
/// and column). The node builds it; clients read it back with `init?(json:)`.
public struct ScriptFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failure's kind. A node sends one of the named kinds; a kind this build does not know is
    /// kept as it came, so an older client still reads a newer node's failures.
    public struct Kind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The script does not compile.
        public static let parse = Kind(rawValue: "parse")
        /// It threw or failed while running.
        public static let runtime = Kind(rawValue: "runtime")
        /// It went over a limit (operations, call depth, sizes).
        public static let limit = Kind(rawValue: "limit")
        /// It ran longer than the node allows.
        public static let timeout = Kind(rawValue: "timeout")
        /// The circle's policy does not let this caller run scripts.
        public static let denied = Kind(rawValue: "denied")

        public var description: String { rawValue }
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
        if let line, let column { return "\(kind) error at line \(line), column \(column): \(message)" }
        return "\(kind) error: \(message)"
    }

    /// `{kind, message, line, column}`, line and column null when unknown.
    public var json: JSON {
        var object: JSONObject = ["kind": .string(kind.rawValue), "message": .string(message)]
        object["line"] = line.map { .int(Int64($0)) } ?? .null
        object["column"] = column.map { .int(Int64($0)) } ?? .null
        return .object(object)
    }

    /// Reads `{kind, message, line, column}`; nil without a kind and a message.
    public init?(json: JSON) {
        guard let kind = json["kind"]?.stringValue, let message = json["message"]?.stringValue else { return nil }
        self.init(kind: Kind(rawValue: kind), message: message, line: json["line"]?.intValue.map(Int.init),
                  column: json["column"]?.intValue.map(Int.init))
    }
}
