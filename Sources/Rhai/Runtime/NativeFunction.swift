typealias NativeBody = @Sendable (inout [Dynamic], Interp) throws(RhaiError) -> Dynamic

/// A built-in or host function overload: arity and a type mask per parameter.
struct NativeFunction: Sendable {
    /// -1 for any number of arguments.
    let arity: Int
    let types: [UInt16]
    let body: NativeBody

    func accepts(_ args: [Dynamic]) -> Bool {
        if arity < 0 { return true }
        if args.count != arity { return false }
        for k in 0..<arity where types[k] & args[k].tag == 0 { return false }
        return true
    }
}

/// Type masks for native signatures.
enum T {
    static let unit: UInt16 = 1, bool: UInt16 = 2, int: UInt16 = 4, float: UInt16 = 8, char: UInt16 = 16
    static let string: UInt16 = 32, array: UInt16 = 64, map: UInt16 = 128, blob: UInt16 = 256, fn: UInt16 = 512
    static let timestamp: UInt16 = 1024, range: UInt16 = 2048
    static let num: UInt16 = int | float
    static let any: UInt16 = 0xFFFF
}

extension Dynamic {
    var tag: UInt16 {
        switch self {
        case .unit: T.unit
        case .bool: T.bool
        case .int: T.int
        case .float: T.float
        case .char: T.char
        case .string: T.string
        case .array: T.array
        case .map: T.map
        case .blob: T.blob
        case .fnPtr: T.fn
        case .timestamp: T.timestamp
        case .range: T.range
        case .shared(let s): s.value.tag
        }
    }
}

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
