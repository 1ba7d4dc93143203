/// Native functions by name; host registrations come before the built-in library.
struct NativeTable: Sendable {
    var table: [String: [NativeFunction]] = [:]

    mutating func add(_ name: String, _ types: [UInt16], _ body: @escaping NativeBody) {
        table[name, default: []].append(NativeFunction(arity: types.count, types: types, body: body))
    }

    mutating func addFirst(_ name: String, _ f: NativeFunction) {
        table[name, default: []].insert(f, at: 0)
    }

    func resolve(_ name: String, _ args: [Dynamic]) -> NativeFunction? {
        table[name]?.first { $0.accepts(args) }
    }

    func has(_ name: String) -> Bool { table[name] != nil }
}
