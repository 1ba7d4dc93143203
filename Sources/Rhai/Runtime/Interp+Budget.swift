extension Interp {
    /// Charges `bytes` of new or grown values against the memory budget. When the charges since the
    /// last measurement pass it, the run's live values are measured (`bytes` counting as live: they
    /// belong to the value being built) and the run stops if they really exceed the budget.
    @inline(__always) func charge(_ bytes: Int, _ pos: Pos = .none) throws(RhaiError) {
        charged &+= bytes
        if charged > measureAt { try measure(pending: bytes, pos) }
    }

    /// Whether a native call may call back into the script (one of its arguments is a function).
    @inline(__always) static func callsBack(_ args: [Dynamic]) -> Bool {
        for a in args { if case .fnPtr = a { return true } }
        return false
    }

    /// Charges what an operation made: the fresh bytes of its result and the growth of its receiver,
    /// and operations in proportion to the bytes produced (building a big value is work).
    @inline(__always) func settle(_ result: Dynamic, receiver growth: Int, _ pos: Pos = .none) throws(RhaiError) {
        let bytes = result.freshBytes &+ max(0, growth)
        if bytes > 0 {
            try charge(bytes, pos)
            try work(bytes >> Interp.bytesPerOperation)
        }
    }

    /// Bytes of data one operation stands for when natives charge for their work (64 B).
    static let bytesPerOperation = 6

    /// Counts `n` operations of work done inside a native function, checking the operation limit
    /// and cancellation when the count crosses the next check point.
    @inline(__always) func work(_ n: Int) throws(RhaiError) {
        if n <= 0 { return }
        ops &+= UInt64(n)
        if ops >= nextCheck { try checkLimits(.none) }
    }

    /// Work in proportion to the size of the values a native function scans.
    @inline(__always) func scanWork(_ args: [Dynamic]) throws(RhaiError) {
        var bytes = 0
        for a in args { bytes &+= a.shallowBytes }
        try work(bytes >> Interp.bytesPerOperation)
    }

    /// Measures the bytes of every value the run can reach (its value stack, control-flow value,
    /// caught errors and scope) plus pinned values under construction; shared storage counts once.
    func measure(pending: Int, _ pos: Pos = .none) throws(RhaiError) {
        var roots: [Dynamic] = []
        roots.reserveCapacity(capacity + scope.entries.count + caught.count + 1)
        for k in 0..<capacity { if stack[k].mayHoldBytes { roots.append(stack[k]) } }
        roots.append(flowValue)
        for e in caught { roots.append(e.value) }
        for e in scope.entries { roots.append(e.value) }
        for args in nativeRoots { roots.append(contentsOf: args) }
        // A captured variable's box still alive holds memory, reachable or not (in a cycle).
        for b in boxes { if let v = b.box?.value, v.mayHoldBytes { roots.append(v) } }
        let live = Dynamic.liveBytes(roots, stopAbove: memoryCap) &+ pinned &+ pending
        if live > memoryCap {
            throw RhaiError(.dataTooLarge, "Memory budget exceeded: the script holds more than \(memoryCap) bytes", at: pos)
        }
        charged = live
        // Charges may pass the budget by a sixteenth before the next measurement, so a run close to
        // its budget is not measured at every allocation.
        measureAt = max(memoryCap, live &+ memoryCap / 16)
    }

    /// Renders a value for a string conversion inside the script (to_string, interpolation, `+`),
    /// bounded by the string size limit less `used` bytes already in the string being built.
    func text(_ v: Dynamic, _ style: Dynamic.TextStyle = .display, used: Int = 0) throws(RhaiError) -> String {
        if style == .display, case .string(let s) = v { return s }
        var w = TextWriter(limit: max(0, stringCap - used), what: "Length of string")
        try v.render(style, into: &w, maxDepth: style == .json || style == .scriptJSON ? Dynamic.maxJSONDepth : .max)
        try work(w.count >> Interp.bytesPerOperation)
        return w.text
    }

    /// Renders `print`/`debug` output, counting it against the run's output budget.
    func outputText(_ v: Dynamic, _ style: Dynamic.TextStyle) throws(RhaiError) -> String {
        var w = TextWriter(limit: max(0, outputCap - outputUsed), what: "Output of print and debug")
        try v.render(style, into: &w)
        outputUsed += w.count + 1
        try work(w.count >> Interp.bytesPerOperation)
        return w.text
    }
}
