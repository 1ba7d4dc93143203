extension Engine {
    /// Runs a compiled script on the calling thread, without the hand-off to a fresh large-stack thread
    /// that `run` makes. For hosts that run scripts on dedicated threads of their own (never Swift's
    /// cooperative pool) created with `stackSize` bytes of stack, and that call this near the top of it:
    /// recursion is then bounded by the call-depth limit and by that stack, less a safety margin.
    public func runOnCurrentThread(_ ast: AST, scope: Scope = Scope(), output: OutputSink? = nil,
                                   cancellation: Cancellation? = nil, stackSize: Int) throws(RhaiError) -> Dynamic {
        let sink = output ?? OutputSink(print: onPrint, debug: onDebug)
        return try Engine.execute(ast, scope: scope, limits: limits, output: sink, cancellation: cancellation,
                                  stackLimit: Self.stackLimit(stackSize: stackSize))
    }

    /// The lowest address the evaluator may reach on a thread of `stackSize` bytes called near its top.
    static func stackLimit(stackSize: Int) -> UInt {
        let usable = UInt(max(0, stackSize - min(BigStack.margin, stackSize / 4)))
        let top = Interp.stackAddress()
        return top > usable ? top - usable : 0
    }
}

extension Engine {
    /// Compiles a script on the calling thread (see `runOnCurrentThread` for when that is right).
    public func compileOnCurrentThread(_ script: String, stackSize: Int) throws(RhaiError) -> AST {
        let (limits, natives, constants, modules) = config.withLock { ($0.limits, $0.natives, $0.constants, $0.modules) }
        return try Engine.compile(script, limits: limits, natives: natives, constants: constants, modules: modules,
                                  stackLimit: Self.stackLimit(stackSize: stackSize))
    }
}
