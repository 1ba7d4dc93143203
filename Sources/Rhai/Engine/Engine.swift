import Synchronization

/// The Rhai script engine. Configure it (limits, host functions, output) before use; then it can
/// compile and run scripts from many threads. Each run executes on its own thread with a 256 MiB stack
/// (the evaluator recurses; call depth and a stack-address check keep it inside). `run` and `eval`
/// block the caller until the run ends, so call them from a dedicated thread; from async code use
/// `runAsync`, which suspends instead of blocking Swift's cooperative pool.
public final class Engine: Sendable {
    struct Config {
        var limits = Limits()
        var natives = Library.standard
        var constants: [String: Dynamic] = [:]
        var onPrint: @Sendable (String) -> Void = { Swift.print($0) }
        var onDebug: @Sendable (String) -> Void = { Swift.print($0) }
        var modules = ModuleHooks()
    }

    let config = Mutex(Config())

    public init() {}

    public var limits: Limits {
        get { config.withLock { $0.limits } }
        set { config.withLock { $0.limits = newValue } }
    }

    /// Receives `print` output when a run has no `OutputSink` (default: standard output).
    public var onPrint: @Sendable (String) -> Void {
        get { config.withLock { $0.onPrint } }
        set { config.withLock { $0.onPrint = newValue } }
    }

    /// Receives `debug` output when a run has no `OutputSink` (default: standard output).
    public var onDebug: @Sendable (String) -> Void {
        get { config.withLock { $0.onDebug } }
        set { config.withLock { $0.onDebug = newValue } }
    }

    /// Registers a host function. `arity` nil accepts any number of arguments; a registration takes
    /// precedence over a built-in function of the same name and arity. Errors it throws become
    /// `ErrorRuntime` (or keep their kind when they are `RhaiError`s).
    public func registerFunction(_ name: String, arity: Int? = nil, _ body: @escaping @Sendable ([Dynamic]) throws -> Dynamic) {
        let native = NativeFunction(arity: arity ?? -1, types: Array(repeating: TypeMask.any, count: max(0, arity ?? 0))) { args, i throws(RhaiError) in
            do {
                return try body(i.madeTags ? args.map(\.untagged) : args)
            } catch let e as RhaiError {
                throw e
            } catch {
                throw RhaiError(.runtime, "\(error)")
            }
        }
        config.withLock { $0.natives.addFirst(name, native) }
    }

    /// Registers a constant visible to every script (also inside functions and via `global::`).
    public func registerConstant(_ name: String, _ value: Dynamic) {
        config.withLock { $0.constants[name] = value.flat }
    }

    /// Parses and compiles a script.
    public func compile(_ script: String) throws(RhaiError) -> AST {
        let (limits, natives, constants, modules) = config.withLock { ($0.limits, $0.natives, $0.constants, $0.modules) }
        return try BigStack.run { stackLimit throws(RhaiError) in
            try Engine.compile(script, limits: limits, natives: natives, constants: constants, modules: modules,
                               stackLimit: stackLimit)
        }
    }

    /// Where `import "path" as name;` finds a module: the resolver returns the module script's source for
    /// a path, or nil when there is none (`ErrorModuleNotFound`). Without a resolver every import fails.
    /// A module runs once per run that imports it; its `export`ed variables and its functions (not
    /// `private` ones) are `name::variable` and `name::function(…)`.
    public var moduleResolver: (@Sendable (String) -> String?)? {
        get { config.withLock { $0.modules.resolver } }
        set { config.withLock { $0.modules.resolver = newValue } }
    }

    /// Keeps compiled modules between runs: given a module's source and the way to compile it (with this
    /// engine's limits and functions), returns the compiled module, compiling only when it keeps none.
    /// Without a cache each run compiles the modules it imports.
    public var moduleCache: (@Sendable (_ source: String, _ compile: () throws(RhaiError) -> AST) throws(RhaiError) -> AST)? {
        get { config.withLock { $0.modules.cache } }
        set { config.withLock { $0.modules.cache = newValue } }
    }

    /// Nesting of expressions and blocks allowed when `Limits.maxExpressionDepth` is 0.
    static let hardExpressionDepth = 4096

    static func compile(_ script: String, limits: Limits, natives: NativeTable, constants: [String: Dynamic],
                        modules: ModuleHooks = ModuleHooks(), stackLimit: UInt) throws(RhaiError) -> AST {
        // Without a configured depth a hard one still applies: compiled code recurses as deep as the
        // source nests, and running it checks the stack only at function calls.
        let depth = limits.maxExpressionDepth > 0 ? limits.maxExpressionDepth : Engine.hardExpressionDepth
        let parser = Parser(lexer: Lexer(script, maxNesting: depth, stackLimit: stackLimit), maxDepth: depth,
                            stackLimit: stackLimit)
        (parser.maxArraySize, parser.maxMapSize, parser.maxStringSize) = (limits.maxArraySize, limits.maxMapSize, limits.maxStringSize)
        (parser.maxFunctions, parser.maxVariables) = (limits.maxFunctions, limits.maxVariables)
        parser.maxFunctionDepth = min(limits.maxFunctionExpressionDepth, Engine.hardExpressionDepth)
        let parsed = try parser.parseScript()
        var functions: [String: [ScriptFunction]] = [:]
        for f in parsed.functions { functions[f.name, default: []].append(f) }
        var top: [String: Int] = [:]
        for b in parsed.topLevel where b.isConst { top[b.name] = b.slot }
        let main = ScriptFunction(name: "main", paramCount: 0, thisType: nil)
        main.body = parsed.body
        main.slotCount = parsed.slotCount
        var compiler = Compiler(functions: functions, topLevel: top, natives: natives)
        compiler.stackLimit = stackLimit
        compiler.compileFunction(main)
        for f in parsed.functions { compiler.compileFunction(f) }
        return AST(program: Program(main: main, functions: functions, topLevel: parsed.topLevel, natives: natives, constants: constants,
                                     exports: parsed.exports, subModules: parsed.subModules, modules: modules))
    }

    /// Compiles and runs a script with a fresh scope.
    public func eval(_ script: String) throws(RhaiError) -> Dynamic {
        try eval(script, scope: Scope())
    }

    /// Compiles and runs a script; its top-level variables are added to `scope`.
    public func eval(_ script: String, scope: Scope) throws(RhaiError) -> Dynamic {
        let (limits, natives, constants, modules) = config.withLock { ($0.limits, $0.natives, $0.constants, $0.modules) }
        let sink = defaultSink
        let work = UncheckedSendable(scope)
        return try BigStack.run { stackLimit throws(RhaiError) in
            let ast = try Engine.compile(script, limits: limits, natives: natives, constants: constants, modules: modules,
                                         stackLimit: stackLimit)
            return try Engine.execute(ast, scope: work.value, limits: limits, output: sink, cancellation: nil, stackLimit: stackLimit)
        }
    }

    /// Runs a compiled script. `output` defaults to `onPrint`/`onDebug`; `cancellation` stops it from another thread.
    public func run(_ ast: AST, scope: Scope = Scope(), output: OutputSink? = nil, cancellation: Cancellation? = nil) throws(RhaiError) -> Dynamic {
        let limits = self.limits
        let sink = output ?? defaultSink
        let work = UncheckedSendable(scope)
        return try BigStack.run { stackLimit throws(RhaiError) in
            try Engine.execute(ast, scope: work.value, limits: limits, output: sink, cancellation: cancellation, stackLimit: stackLimit)
        }
    }

    /// Runs a compiled script without blocking the calling task: the run gets its own thread and the
    /// task resumes when it ends (use this from actors and async code).
    public func runAsync(_ ast: AST, scope: Scope = Scope(), output: OutputSink? = nil,
                         cancellation: Cancellation? = nil) async throws(RhaiError) -> Dynamic {
        let limits = self.limits
        let sink = output ?? defaultSink
        let work = UncheckedSendable(scope)
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Dynamic, RhaiError>, Never>) in
            BigStack.start({ stackLimit throws(RhaiError) in
                try Engine.execute(ast, scope: work.value, limits: limits, output: sink, cancellation: cancellation, stackLimit: stackLimit)
            }, completion: { continuation.resume(returning: $0) })
        }
        return try result.get()
    }

    private var defaultSink: OutputSink {
        let (p, d) = config.withLock { ($0.onPrint, $0.onDebug) }
        return OutputSink(print: p, debug: d)
    }

    static func execute(_ ast: AST, scope: Scope, limits: Limits, output: OutputSink, cancellation: Cancellation?,
                        stackLimit: UInt) throws(RhaiError) -> Dynamic {
        let program = ast.program
        let interp = Interp(program: program, limits: limits, scope: scope, output: output,
                            cancellation: cancellation, stackLimit: stackLimit)
        var result = Dynamic.unit
        defer { interp.releaseCycles(keeping: [result] + scope.entries.map(\.value)) }
        interp.ensure(program.main.slotCount + 1)
        interp.sp = program.main.slotCount
        result = try program.main.code(interp)
        if interp.flow == .returnValue { result = interp.flowValue }
        interp.flow = .none
        for b in program.topLevel where scope.keepsVariables {
            scope.declare(b.name, interp.stack[b.slot].flat, isConstant: b.isConst)
        }
        result = interp.madeTags ? result.flat.untagged : result.flat
        return result
    }
}
