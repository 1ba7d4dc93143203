import CirclesCore

/// A script failure reported by the node (the `data` of a -32000 "Execution error"): what kind of
/// failure, its message, and where in the script when known (1-based line and column).
public struct ExecutionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable, CustomStringConvertible {
        /// The script does not compile.
        case parse
        /// It threw or failed while running.
        case runtime
        /// It went over a limit (operations, call depth, sizes).
        case limit
        /// It ran longer than the node allows.
        case timeout
        /// The circle's policy does not let this caller run scripts.
        case denied
        /// A kind this client does not know.
        case other(String)

        public init(_ name: String) {
            switch name {
            case "parse": self = .parse
            case "runtime": self = .runtime
            case "limit": self = .limit
            case "timeout": self = .timeout
            case "denied": self = .denied
            default: self = .other(name)
            }
        }

        public var description: String {
            switch self {
            case .parse: "parse"
            case .runtime: "runtime"
            case .limit: "limit"
            case .timeout: "timeout"
            case .denied: "denied"
            case .other(let name): name
            }
        }
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

    /// Reads `{kind, message, line, column}`; nil without a kind and a message.
    public init?(json: JSON) {
        guard let kind = json["kind"]?.stringValue, let message = json["message"]?.stringValue else { return nil }
        self.init(kind: Kind(kind), message: message, line: json["line"]?.intValue.map(Int.init), column: json["column"]?.intValue.map(Int.init))
    }

    public var description: String {
        if let line, let column { return "\(kind) error at line \(line), column \(column): \(message)" }
        return "\(kind) error: \(message)"
    }
}
