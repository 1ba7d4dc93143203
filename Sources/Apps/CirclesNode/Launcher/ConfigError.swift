/// A bad launcher configuration: one line naming the file, the entry and the field.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var entry: String?
    public var field: String?
    public var problem: String

    public init(file: String, entry: String? = nil, field: String? = nil, _ problem: String) {
        self.file = file
        self.entry = entry
        self.field = field
        self.problem = problem
    }

    /// How an error names an entry: its position in the file (from 1) and, when it has one, its name.
    static func entry(at index: Int, name: String?) -> String {
        name.map { "#\(index + 1) (\"\($0)\")" } ?? "#\(index + 1)"
    }

    public var description: String {
        var out = file
        if let entry { out += ": entry \(entry)" }
        if let field { out += ": field \"\(field)\"" }
        return out + ": " + problem
    }
}
