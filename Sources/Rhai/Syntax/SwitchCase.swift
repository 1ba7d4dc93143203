struct SwitchCase {
    enum Pattern { case value(Dynamic), range(Int64, Int64, inclusive: Bool) }
    var patterns: [Pattern]
    var condition: Expr?
    var body: Expr
}
