/// Compiled code: one closure per syntax node.
typealias Code = @Sendable (Interp) throws(RhaiError) -> Dynamic

/// The state of one script run: a value stack of frame slots, control flow, counters and limits.
final class Interp {
    enum Flow: UInt8 { case none, breakLoop, continueLoop, returnValue }

    /// What `this` is in the running function: not bound (a plain call), bound to the object of a
    /// method call, or bound to a constant (readable, not assignable).
    enum ThisState: UInt8 { case unbound, bound, readOnly }

    var stack: UnsafeMutablePointer<Dynamic>
    var capacity: Int
    var base = 0
    var sp = 0
    var flow: Flow = .none
    var thisState: ThisState = .unbound
    var flowValue: Dynamic = .unit
    /// Set by the last `?.` or `?[` that ran: whether it found `()` and skipped its chain.
    var chainSkipped = false
    /// Set by an assignment that writes data into a container (checked by data size, `checkDataSize`).
    var checkRootData = false
    /// Modules imported by this run: by alias, and by path (each runs once per run).
    var modules: [String: ModuleInstance] = [:]
    var loadedModules = LoadedModules()
    /// Paths of the modules being imported around this one (cycles and depth are errors).
    var importing: [String] = []
    /// Caller scopes lent to functions called as `name!(…)`: the frame base of the caller, its
    /// visible variables, and the call depth at which the called function runs.
    var lentScopes: [(base: Int, names: [String: Int], depth: Int)] = []

    /// The absolute stack index of a caller's variable visible to the running function, if any.
    @inline(__always) func lentSlot(_ name: String) -> Int? {
        guard let s = lentScopes.last, s.depth == callDepth, let slot = s.names[name] else { return nil }
        return s.base + slot
    }

    /// Whether this run set a dynamic tag (values leaving the engine are then untagged).
    var madeTags = false

    /// Errors being handled by enclosing `catch` blocks (for `throw;`).
    var caught: [RhaiError] = []

    var ops: UInt64 = 0
    var nextCheck: UInt64 = 0
    let maxOps: UInt64
    var callDepth = 0
    let maxCallDepth: Int
    let limits: Limits
    let checkSizes: Bool
    /// A size limit is configured: containers are checked by their data size (`checkDataSize`).
    let checksDataSize: Bool
    /// Effective size limits: the configured ones, else hard caps that keep a script from exhausting memory.
    let stringCap: Int, arrayCap: Int, mapCap: Int
    static let hardStringCap = 1 << 28
    static let hardArrayCap = 1 << 24
    /// The memory budget (`Limits.maxMemory`, else unlimited) and what is charged against it: bytes
    /// charged since the last measurement (which resets it to the measured live bytes), the charge
    /// that triggers the next measurement, and bytes pinned by values under construction.
    let memoryCap: Int
    var charged = 0
    var measureAt: Int
    var pinned = 0
    /// The output budget (`Limits.maxOutput`, else a hard cap) and what `print`/`debug` used of it.
    let outputCap: Int
    var outputUsed = 0
    /// Boxes of captured variables made by this run, held weakly: a closure stored in the variable
    /// it captures makes a cycle that outlives the run unless it is broken at the end.
    var boxes: [WeakShared] = []
    /// Arguments of native calls in progress that call back into the script: moved out of their
    /// variables for the call, they are still the run's memory.
    var nativeRoots: [[Dynamic]] = []
    var compactBoxesAt = 64
    static let hardOutputCap = 1 << 28
    /// Longest message a thrown value renders to (the value itself stays whole).
    static let errorMessageCap = 64 << 10
    let program: Program
    let scope: Scope
    let output: OutputSink
    let cancellation: Cancellation?
    let stackLimit: UInt

    init(program: Program, limits: Limits, scope: Scope, output: OutputSink, cancellation: Cancellation?, stackLimit: UInt) {
        self.program = program
        self.limits = limits
        self.scope = scope
        self.output = output
        self.cancellation = cancellation
        self.stackLimit = stackLimit
        maxOps = limits.maxOperations == 0 ? .max : UInt64(limits.maxOperations)
        maxCallDepth = limits.maxCallDepth == 0 ? .max : limits.maxCallDepth
        checkSizes = true
        checksDataSize = limits.maxStringSize > 0 || limits.maxArraySize > 0 || limits.maxMapSize > 0
        stringCap = limits.maxStringSize > 0 ? limits.maxStringSize : Interp.hardStringCap
        arrayCap = limits.maxArraySize > 0 ? limits.maxArraySize : Interp.hardArrayCap
        mapCap = limits.maxMapSize > 0 ? limits.maxMapSize : Interp.hardArrayCap
        memoryCap = limits.maxMemory > 0 ? limits.maxMemory : .max
        measureAt = memoryCap
        outputCap = limits.maxOutput > 0 ? limits.maxOutput : Interp.hardOutputCap
        capacity = max(256, program.main.slotCount * 2)
        stack = .allocate(capacity: capacity)
        stack.initialize(repeating: .unit, count: capacity)
        nextCheck = min(maxOps, Interp.pollInterval)
    }

    deinit {
        stack.deinitialize(count: capacity)
        stack.deallocate()
    }

    static let pollInterval: UInt64 = 2048

    @inline(__always) func tick(_ pos: Pos) throws(RhaiError) {
        ops &+= 1
        if ops >= nextCheck { try checkLimits(pos) }
    }

    func checkLimits(_ pos: Pos) throws(RhaiError) {
        if ops >= maxOps { throw RhaiError(.tooManyOperations, "Too many operations", at: pos) }
        if cancellation?.isCancelled == true { throw RhaiError(.terminated, "Script terminated", at: pos) }
        nextCheck = min(maxOps, ops &+ Interp.pollInterval)
    }

    func ensure(_ needed: Int) {
        if needed <= capacity { return }
        var newCap = capacity * 2
        while newCap < needed { newCap *= 2 }
        let fresh = UnsafeMutablePointer<Dynamic>.allocate(capacity: newCap)
        fresh.moveInitialize(from: stack, count: capacity)
        (fresh + capacity).initialize(repeating: .unit, count: newCap - capacity)
        stack.deallocate()
        stack = fresh
        capacity = newCap
    }

    @inline(__always) static func stackAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }

    @inline(__always) func enterCall(_ pos: Pos) throws(RhaiError) {
        if callDepth >= maxCallDepth || Interp.stackAddress() < stackLimit {
            throw RhaiError(.stackOverflow, "Stack overflow", at: pos)
        }
        try tick(pos)
    }

    // MARK: locals

    @inline(__always) func local(_ slot: Int) -> Dynamic {
        let v = stack[base &+ slot]
        if case .shared(let b) = v { return b.value }
        return v
    }

    @inline(__always) func setLocal(_ slot: Int, _ value: Dynamic) {
        let idx = base &+ slot
        if case .shared(let b) = stack[idx] { b.value = value } else { stack[idx] = value }
    }

    // MARK: calls

    /// Runs a script function whose frame (this + arguments) starts at `frameBase` and ends at `sp`.
    func runFrame(_ f: ScriptFunction, _ frameBase: Int, _ pos: Pos, this state: ThisState = .unbound) throws(RhaiError) -> Dynamic {
        let savedBase = base, savedThis = thisState
        base = frameBase
        sp = frameBase &+ f.slotCount
        callDepth += 1
        thisState = state
        defer {
            for k in 1..<max(1, f.slotCount) { stack[frameBase &+ k] = .unit }
            sp = frameBase
            base = savedBase
            callDepth -= 1
            thisState = savedThis
        }
        var r = try f.code(self)
        if flow != .none {
            if flow == .returnValue { r = flowValue }
            flowValue = .unit
            flow = .none
        }
        return r
    }

    /// Calls a script function with argument values (curried first) and an optional `this`.
    func callScript(_ f: ScriptFunction, this: inout Dynamic, args: [Dynamic], captured: [Dynamic], pos: Pos,
                    thisState: ThisState) throws(RhaiError) -> Dynamic {
        guard args.count == f.paramCount else {
            throw RhaiError(.functionNotFound, "Function not found: \(f.name) with \(args.count) arguments (expecting \(f.paramCount))", at: pos)
        }
        // a closure over the variable that is `this` of a running method call (captured values are
        // its first arguments in Rhai)
        for (k, c) in captured.enumerated() {
            if case .shared(let box) = c, box.locked { throw Interp.dataRace(argument: k + 2, of: f.name, pos) }
        }
        try enterCall(pos)
        let frameBase = sp
        ensure(frameBase + f.slotCount + 1)
        stack[frameBase] = this
        this = .unit
        for (k, a) in args.enumerated() { stack[frameBase + 1 + k] = a }
        for (k, slot) in f.captureSlots.enumerated() { stack[frameBase + slot] = captured[k] }
        defer {
            this = stack[frameBase]
            stack[frameBase] = .unit
        }
        return try runFrame(f, frameBase, pos, this: thisState)
    }

    /// Rhai's error for a shared variable used while it is locked as `this` of a method call.
    static func dataRace(argument n: Int, of function: String, _ pos: Pos) -> RhaiError {
        RhaiError(.dataRace, "Data race detected on variable 'argument #\(n) of function '\(function)''", at: pos)
    }

    /// Calls a function pointer (script function, closure or native) with `this` bound.
    /// Calls `fp` with `this` bound. A native function gets `this` as its first argument when
    /// `nativeGetsThis` (`obj.call(fp, …)` and `map.prop(…)`, as Rhai calls them in method style).
    func call(_ fp: FnPtr, this: inout Dynamic, args: [Dynamic], pos: Pos, thisState: ThisState = .bound,
              nativeGetsThis: Bool = false) throws(RhaiError) -> Dynamic {
        let all = fp.curried.isEmpty ? args : fp.curried + args
        if let f = fp.function {
            return try callScript(f, this: &this, args: all, captured: fp.captured, pos: pos, thisState: thisState)
        }
        if let f = program.pointedFunction(fp.name, arity: all.count, this: thisState == .unbound ? nil : this) {
            return try callScript(f, this: &this, args: all, captured: [], pos: pos, thisState: thisState)
        }
        guard nativeGetsThis else {
            var argv = all
            return try callNative(fp.name, &argv, pos: pos)
        }
        var argv = [this] + all
        this = .unit
        defer { this = argv[0] }
        return try callNative(fp.name, &argv, pos: pos)
    }

    func call(_ fp: FnPtr, _ args: [Dynamic], pos: Pos = .none) throws(RhaiError) -> Dynamic {
        var this = Dynamic.unit
        return try call(fp, this: &this, args: args, pos: pos, thisState: .unbound)
    }

    /// `this` of the running function, for reading.
    @inline(__always) func readThis(_ pos: Pos) throws(RhaiError) -> Dynamic {
        if thisState == .unbound { throw RhaiError(.unboundThis, "'this' is not bound (the function was not called as a method)", at: pos) }
        return stack[base].flat
    }

    func callNative(_ name: String, _ args: inout [Dynamic], pos: Pos) throws(RhaiError) -> Dynamic {
        guard let f = program.natives.resolve(name, args) else {
            if let r = try callUntagged(name, &args, pos: pos) { return r }
            throw RhaiError.functionNotFound(name, args, pos)
        }
        // A container passed beside the first argument may end up inside it (`push(a, b)`).
        if args.count > 1 { for x in args.dropFirst() where x.isContainer { try checkNesting(x, pos) } }
        let before = args.isEmpty ? Dynamic.Storage() : args[0].storage
        do throws(RhaiError) {
            if f.scans { try scanWork(args) }
            let calls = Interp.callsBack(args)
            if calls { nativeRoots.append(args) }
            defer { if calls { nativeRoots.removeLast() } }
            let r = try f.body(&args, self)
            if checkSizes { try checkSize(r, pos); if !args.isEmpty { try checkSize(args[0], pos) } }
            if checksDataSize {
                if r.isContainer { try checkDataSize(r, pos) }
                if Interp.insertsData(args) { try checkDataSize(args[0], pos) }
            }
            try settle(r, receiver: args.isEmpty ? 0 : args[0].growth(from: before))
            return r
        } catch {
            throw error.at(pos)
        }
    }

    // MARK: sizes

    func checkSize(_ v: Dynamic, _ pos: Pos) throws(RhaiError) {
        switch v {
        case .string(let s):
            if s.utf8.count > stringCap {
                throw RhaiError(.dataTooLarge, "Length of string exceeds the maximum limit (\(stringCap))", at: pos)
            }
        case .array(let a):
            if a.count > arrayCap {
                throw RhaiError(.dataTooLarge, "Size of array exceeds the maximum limit (\(arrayCap))", at: pos)
            }
        case .map(let m):
            if m.count > mapCap {
                throw RhaiError(.dataTooLarge, "Size of object map exceeds the maximum limit (\(mapCap))", at: pos)
            }
        case .blob(let b):
            if b.count > arrayCap {
                throw RhaiError(.dataTooLarge, "Size of BLOB exceeds the maximum limit (\(arrayCap))", at: pos)
            }
        default: break
        }
    }

    /// Checks a size before allocating it (pad, extend, repeat…). A hard cap applies even without limits.
    func checkGrowth(count: Int, isString: Bool = false) throws(RhaiError) {
        if count > (isString ? stringCap : arrayCap) {
            throw RhaiError(.dataTooLarge, "Size of \(isString ? "string" : "array") exceeds the maximum limit", line: 0, column: 0)
        }
    }
}
