typealias NativeBody = @Sendable (inout [Dynamic], Interp) throws(RhaiError) -> Dynamic

/// A built-in or host function overload: arity and a type mask per parameter.
struct NativeFunction: Sendable {
    /// -1 for any number of arguments.
    let arity: Int
    let types: [UInt16]
    let body: NativeBody
    /// Whether the function scans its arguments (search, compare, sort, copy), so a call is charged
    /// operations in proportion to their size.
    var scans = false

    func accepts(_ args: [Dynamic]) -> Bool {
        if arity < 0 { return true }
        if args.count != arity { return false }
        for k in 0..<arity where types[k] & args[k].tag == 0 { return false }
        return true
    }
}
