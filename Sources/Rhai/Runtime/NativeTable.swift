/// Native functions by name; host registrations come before the built-in library.
struct NativeTable: Sendable {
    var table: [String: [NativeFunction]] = [:]

    mutating func add(_ name: String, _ types: [UInt16], _ body: @escaping NativeBody) {
        var f = NativeFunction(arity: types.count, types: types, body: body)
        f.scans = NativeTable.scanning.contains(name)
        table[name, default: []].append(f)
    }

    /// Built-in functions whose work grows with the size of their arguments rather than of their result.
    static let scanning: Set<String> = [
        "contains", "index_of", "sort", "dedup", "reverse", "replace", "split", "split_rev", "sub_string",
        "crop", "to_upper", "to_lower", "make_upper", "make_lower", "trim", "trim_start", "trim_end", "==", "!=",
        "<", ">", "<=", ">=", "drain", "extract", "splice", "remove", "insert", "shift", "chop", "parse_json",
        "mixin", "fill_with",
    ]

    mutating func addFirst(_ name: String, _ f: NativeFunction) {
        table[name, default: []].insert(f, at: 0)
    }

    func resolve(_ name: String, _ args: [Dynamic]) -> NativeFunction? {
        table[name]?.first { $0.accepts(args) }
    }

    func has(_ name: String) -> Bool { table[name] != nil }
}
