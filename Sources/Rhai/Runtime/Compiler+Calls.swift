extension Compiler {
    func evalArgs(_ codes: [Node], _ i: Interp) throws(RhaiError) -> [Dynamic] {
        var argv: [Dynamic] = []
        argv.reserveCapacity(codes.count + 1)
        for c in codes { argv.append(try c.run(i)) }
        return argv
    }

    func compileCall(_ name: String, _ args: [Expr], _ localSlot: Int?, refSlot: Int? = nil, _ pos: Pos) -> Code {
        if name == "is_shared", args.count == 1, case .local(let slot, _) = args[0] {
            return { i throws(RhaiError) in
                if case .shared = i.stack[i.base &+ slot] { return .bool(true) }
                return .bool(false)
            }
        }
        let argc = args.map { Node(run: compile($0)) }
        if let f = scriptFunction(name, arity: args.count) {
            compileFunction(f)
            if args.count == 1 {
                let a0 = argc[0].run
                return { i throws(RhaiError) in
                    try i.enterCall(pos)
                    let frameBase = i.sp
                    i.ensure(frameBase &+ f.slotCount &+ 1)
                    i.sp = frameBase &+ 1
                    let v: Dynamic
                    do throws(RhaiError) { v = try a0(i) } catch { i.sp = frameBase; throw error }
                    i.stack[frameBase &+ 1] = v
                    i.sp = frameBase &+ 2
                    return try i.runFrame(f, frameBase, pos)
                }
            }
            return { i throws(RhaiError) in
                try i.enterCall(pos)
                let frameBase = i.sp
                i.ensure(frameBase &+ f.slotCount &+ 1)
                i.sp = frameBase &+ 1
                do throws(RhaiError) {
                    for a in argc {
                        let v = try a.run(i)
                        i.stack[i.sp] = v
                        i.sp &+= 1
                    }
                } catch {
                    for k in frameBase..<i.sp { i.stack[k] = .unit }
                    i.sp = frameBase
                    throw error
                }
                return try i.runFrame(f, frameBase, pos)
            }
        }
        if name == "eval" {
            return { _ throws(RhaiError) in throw Library.evalDenied.at(pos) }
        }
        let evalArgs = self.evalArgs
        return { i throws(RhaiError) in
            var argv = try evalArgs(argc, i)
            if let localSlot, case .fnPtr(let fp) = i.local(localSlot).plain {
                return try i.call(fp, argv, pos: pos)
            }
            if let k = i.scope.index(of: name), case .fnPtr(let fp) = i.scope.entries[k].value {
                return try i.call(fp, argv, pos: pos)
            }
            guard let refSlot else { return try i.callNative(name, &argv, pos: pos) }
            // The variable's value moves into the call (staying uniquely referenced) and back out of it.
            let idx = i.base &+ refSlot
            if case .shared(let box) = i.stack[idx] {
                defer { box.value = argv[0] }
                return try i.callNative(name, &argv, pos: pos)
            }
            i.stack[idx] = .unit
            defer { i.stack[idx] = argv[0] }
            return try i.callNative(name, &argv, pos: pos)
        }
    }

    func compileMethodCall(_ target: Expr, _ name: String, _ args: [Expr], _ nullSafe: NullSafety, _ constant: Bool, _ pos: Pos) -> Code {
        if name == "is_shared", args.isEmpty, case .local(let slot, _) = target, functions[name] == nil {
            return { i throws(RhaiError) in
                if case .shared = i.stack[i.base &+ slot] { return .bool(true) }
                return .bool(false)
            }
        }
        if name == "Fn" {
            // `Fn` makes function pointers in function-call style only
            let tc = compile(target)
            return { i throws(RhaiError) in throw RhaiError.functionNotFound("Fn", [try tc(i)], pos) }
        }
        let argc = args.map { Node(run: compile($0)) }
        let hasScript = functions[name] != nil
        let isCall = name == "call"
        let candidates = natives.table[name] ?? []
        let thisState: Interp.ThisState = constant ? .readOnly : .bound
        // argv[0] is reserved for the target
        let evalArgs: @Sendable (Interp) throws(RhaiError) -> [Dynamic] = { i throws(RhaiError) in
            var argv: [Dynamic] = [.unit]
            argv.reserveCapacity(argc.count + 1)
            for c in argc { argv.append(try c.run(i)) }
            return argv
        }
        let invoke: @Sendable (inout Dynamic, inout [Dynamic], Interp) throws(RhaiError) -> Dynamic = { v, argv, i throws(RhaiError) in
            if case .map(let m) = v, case .fnPtr(let fp)? = m[name] {
                return try i.call(fp, this: &v, args: Array(argv.dropFirst()), pos: pos, thisState: thisState, nativeGetsThis: true)
            }
            if isCall, argv.count > 1, case .fnPtr(let fp) = argv[1] {
                if case .fnPtr = v {} else {
                    return try i.call(fp, this: &v, args: Array(argv.dropFirst(2)), pos: pos, thisState: thisState, nativeGetsThis: true)
                }
            }
            if hasScript, let f = i.program.method(name, arity: argv.count - 1, thisType: v.typeName) {
                return try i.callScript(f, this: &v, args: Array(argv.dropFirst()), captured: [], pos: pos, thisState: thisState)
            }
            if argv.count > 1 { for x in argv.dropFirst() where x.isContainer { try i.checkNesting(x, pos) } }
            argv[0] = v
            v = .unit
            defer { v = argv[0] }
            let before = argv[0].storage
            for f in candidates where f.accepts(argv) {
                do throws(RhaiError) {
                    if f.scans { try i.scanWork(argv) }
                    let calls = Interp.callsBack(argv)
                    if calls { i.nativeRoots.append(argv) }
                    defer { if calls { i.nativeRoots.removeLast() } }
                    let r = try f.body(&argv, i)
                    if i.checkSizes { try i.checkSize(r, pos); try i.checkSize(argv[0], pos) }
                    if i.checksDataSize {
                        if r.isContainer { try i.checkDataSize(r, pos) }
                        if Interp.insertsData(argv) { try i.checkDataSize(argv[0], pos) }
                    }
                    try i.settle(r, receiver: argv[0].growth(from: before))
                    return r
                } catch {
                    throw error.at(pos)
                }
            }
            return try i.callNative(name, &argv, pos: pos)
        }
        // A method call on a shared (captured) local variable, argument `targetArgument` being the variable
        // itself (or none): locked while the call runs, so a closure over it called inside, or the
        // variable as its own argument, is a data race. A function pointer's own methods (`f.call(…)`)
        // do not bind it as `this`.
        let invokeShared: @Sendable (SharedValue, inout [Dynamic], Interp, Int?) throws(RhaiError) -> Dynamic = {
            box, argv, i, targetArgument throws(RhaiError) in
            if case .fnPtr = box.value {
                var v = box.value
                defer { box.value = v }
                return try invoke(&v, &argv, i)
            }
            if let k = targetArgument { throw Interp.dataRace(argument: k + 2, of: name, pos) }
            var v = box.value
            let wasLocked = box.locked
            box.locked = true
            defer { box.value = v; box.locked = wasLocked }
            return try invoke(&v, &argv, i)
        }
        if name == "push", argc.count == 1, !hasScript, candidates.count == Library.standard.table[name]?.count,
           nullSafe != .check, case .local(let slot, _) = target {
            // the built-in `push` onto a local array: appended in place, with the checks of a native call
            let vc = argc[0].run
            let pushesItself: Int? = if case .local(slot, _) = args[0] { 0 } else { nil }
            return { i throws(RhaiError) in
                let value = try vc(i)
                let idx = i.base &+ slot
                guard var a = i.stack[idx].takeArray() else {
                    var argv: [Dynamic] = [.unit, value]
                    var v = i.stack[idx]
                    if case .shared(let box) = v { return try invokeShared(box, &argv, i, pushesItself) }
                    i.stack[idx] = .unit
                    defer { i.stack[idx] = v }
                    return try invoke(&v, &argv, i)
                }
                defer { i.stack[idx] = .array(a) }
                if value.isContainer { try i.checkNesting(value, pos) }
                let capacity = a.capacity
                a.append(value)
                do throws(RhaiError) {
                    if a.count > i.arrayCap { try i.checkSize(.array(a), pos) }
                    if i.checksDataSize, Interp.addsData(value) { try i.checkDataSize(.array(a), pos) }
                    // the growth `Dynamic.growth(from:)` measures: all of the storage when it moved
                    let moved = a.capacity != capacity
                    try i.settle(.unit, receiver: (moved ? a.count : 1) &* Dynamic.slotBytes)
                } catch {
                    throw error.at(pos)
                }
                return .unit
            }
        }
        if nullSafe != .check, case .local(let slot, _) = target {
            let sameAsTarget = args.firstIndex { if case .local(slot, _) = $0 { true } else { false } }
            return { i throws(RhaiError) in
                var argv = try evalArgs(i)
                let idx = i.base &+ slot
                if case .shared(let box) = i.stack[idx] { return try invokeShared(box, &argv, i, sameAsTarget) }
                var v = i.stack[idx]
                i.stack[idx] = .unit
                defer { i.stack[idx] = v }
                return try invoke(&v, &argv, i)
            }
        }
        // a `.tail` call on a chain it can change: the chain's own `?.` step skips the call
        if nullSafe != .check, var found = lvalue(target) {
            found.assigns = false
            let lv = found
            return { i throws(RhaiError) in
                var argv = try evalArgs(i)
                return try lv.mutate(i) { v throws(RhaiError) in try invoke(&v, &argv, i) }
            }
        }
        let tc = compile(target)
        return { i throws(RhaiError) in
            var v = try tc(i)
            switch nullSafe {
            case .none: break
            case .check:
                i.chainSkipped = v.isUnit
                if i.chainSkipped { return .unit }
            case .tail:
                if i.chainSkipped, v.isUnit { return .unit }
            }
            var argv = try evalArgs(i)
            return try invoke(&v, &argv, i)
        }
    }
}
