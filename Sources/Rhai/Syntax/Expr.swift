/// The resolved syntax tree: variables are frame slots, statements are expressions with values.
indirect enum Expr {
    case constant(Dynamic)
    case local(Int, Pos)
    case global(String, Pos)          // not a local: the host Scope, or a script function's name
    case globalConst(String, Pos)     // `global::NAME`
    case this(Pos)
    case interpolated([Expr], Pos)
    case array([Expr], Pos)
    case map([(String, Expr)], Pos)
    case unary(String, Expr, Pos)
    case binary(String, Expr, Expr, Pos)
    case and(Expr, Expr, Pos)
    case or(Expr, Expr, Pos)
    case coalesce(Expr, Expr, Pos)
    case index(Expr, Expr, nullSafe: NullSafety, Pos)
    case property(Expr, String, nullSafe: NullSafety, Pos)
    /// `refSlot`: the first argument is this (non-constant) variable, which built-in functions may change.
    case call(String, [Expr], localSlot: Int?, refSlot: Int?, Pos)
    /// `name!(args)`: the function runs with access to the caller's variables (name → caller slot).
    case callInCallerScope(String, [Expr], [String: Int], Pos)
    case isDefVar(String, known: Bool, Pos)
    /// `constant`: the object is a constant (or inside one); script methods see a read-only `this`.
    case methodCall(Expr, String, [Expr], nullSafe: NullSafety, constant: Bool, Pos)
    case closure(ScriptFunction, captures: [Capture], Pos)
    case assign(Expr, op: String?, Expr, Pos)
    case block([Expr])
    case letVar(Int, Expr?, Pos)
    case ifElse(Expr, Expr, Expr?, Pos)
    case switchExpr(Expr, [SwitchCase], defaultCase: Expr?, Pos)
    case whileLoop(Expr?, Expr, Pos)          // nil condition: `loop`
    case doLoop(Expr, Expr, isUntil: Bool, Pos)
    case forLoop(Int, counter: Int?, Expr, Expr, Pos)
    case breakLoop(Expr?, Pos)
    case continueLoop(Pos)
    case returnValue(Expr?, Pos)
    case throwValue(Expr?, Pos)
    case rethrow(Pos)
    case constantAssignment(String, Pos)
    case tryCatch(Expr, catchSlot: Int?, Expr, Pos)
    case noop
    /// `import path as alias`: runs the module the embedder's resolver gives for `path`.
    case importModule(Expr, alias: String?, Pos)
    /// `alias::name(args)`: a function of an imported module.
    case moduleCall(String, String, [Expr], Pos)
    /// `alias::name`: a variable the module exports.
    case moduleVariable(String, String, Pos)
    /// An error raised when the expression runs (a limit the parser found passed).
    case fail(RhaiError)

    var pos: Pos {
        switch self {
        case .local(_, let p), .global(_, let p), .globalConst(_, let p), .this(let p), .interpolated(_, let p),
             .array(_, let p), .map(_, let p), .unary(_, _, let p), .binary(_, _, _, let p), .and(_, _, let p),
             .or(_, _, let p), .coalesce(_, _, let p), .index(_, _, _, let p), .property(_, _, _, let p),
             .call(_, _, _, _, let p), .callInCallerScope(_, _, _, let p), .isDefVar(_, _, let p), .methodCall(_, _, _, _, _, let p), .closure(_, _, let p),
             .assign(_, _, _, let p), .letVar(_, _, let p), .ifElse(_, _, _, let p), .switchExpr(_, _, _, let p),
             .whileLoop(_, _, let p), .doLoop(_, _, _, let p), .forLoop(_, _, _, _, let p), .breakLoop(_, let p),
             .continueLoop(let p), .rethrow(let p), .constantAssignment(_, let p), .returnValue(_, let p), .throwValue(_, let p), .tryCatch(_, _, _, let p):
            return p
        case .block(let items): return items.first?.pos ?? .none
        case .fail(let e): return Pos(e.line, e.column)
        case .importModule(_, _, let p), .moduleCall(_, _, _, let p), .moduleVariable(_, _, let p): return p
        case .constant, .noop: return .none
        }
    }
}
