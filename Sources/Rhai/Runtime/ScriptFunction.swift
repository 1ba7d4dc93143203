/// A compiled script function or closure. Mutable only while its AST is being compiled.
final class ScriptFunction: @unchecked Sendable {
    let name: String
    /// Parameters, after any captured variables (which come first, as curried arguments).
    let paramCount: Int
    /// Restricts method-style calls to a `this` of this type name (`fn int.calc()`), nil for any.
    let thisType: String?
    /// Parameter names and access, for `get_fn_metadata_list`.
    var params: [String] = []
    var isPrivate = false
    var captureCount = 0
    /// Frame slots receiving the captured variables (closures only).
    var captureSlots: [Int] = []
    /// Names a closure reads that no enclosing function defines, checked when the closure is made.
    var freeNames: [(String, Pos)] = []
    var slotCount = 0
    var body: Expr = .noop
    var code: Code = { _ throws(RhaiError) in .unit }
    var compiled = false

    /// The code of a function whose program was freed.
    static let released: Code = { _ throws(RhaiError) in .unit }

    init(name: String, paramCount: Int, thisType: String?) {
        self.name = name
        self.paramCount = paramCount
        self.thisType = thisType
    }
}
