/// What a caller may use in a circle beyond running scripts (seed 003 §2.1).
public struct PolicyOperations: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `load_data`, `list_data`.
    public static let dataRead = PolicyOperations(rawValue: 1 << 0)
    /// `save_data`.
    public static let dataWrite = PolicyOperations(rawValue: 1 << 1)
    /// `delete_data`.
    public static let dataDelete = PolicyOperations(rawValue: 1 << 2)
    /// Importing modules (`import "name"`: the circle's modules, `CircleModules`).
    public static let modules = PolicyOperations(rawValue: 1 << 3)
    /// Running the circle's webhook scripts (configured providers hold it).
    public static let webhooks = PolicyOperations(rawValue: 1 << 4)

    public static let all: PolicyOperations = [.dataRead, .dataWrite, .dataDelete, .modules, .webhooks]

    /// The names used in configs and on the command line.
    public static let names: [(String, PolicyOperations)] = [
        ("data.read", .dataRead), ("data.write", .dataWrite), ("data.delete", .dataDelete),
        ("data", [.dataRead, .dataWrite, .dataDelete]), ("modules", .modules), ("webhooks", .webhooks), ("all", .all),
    ]

    /// The operation `name` names, or nil.
    public init?(name: String) {
        guard let found = Self.names.first(where: { $0.0 == name }) else { return nil }
        self = found.1
    }

    public var description: String {
        let single = Self.names.filter { $0.1.rawValue.nonzeroBitCount == 1 && contains($0.1) }.map(\.0)
        return single.isEmpty ? "nothing" : single.joined(separator: ", ")
    }
}
