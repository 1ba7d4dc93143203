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

    public var description: String {
        var out = file
        if let entry { out += ": entry \(entry)" }
        if let field { out += ": field \"\(field)\"" }
        return out + ": " + problem
    }
}
