/// Resolver state for one function body: block scopes mapping names to frame slots, and captures
/// (for closures) from the enclosing function.
final class FunctionContext {
    struct Binding: Sendable { var name: String; var slot: Int; var isConst: Bool }

    let parent: FunctionContext?
    var scopes: [[Binding]] = [[]]
    var slotCount = 1  // slot 0 is `this`
    var captures: [Capture] = []
    /// Names a closure body reads that no enclosing function defines (Rhai captures them too, so they must
    /// exist when the closure is made).
    var freeNames: [(String, Pos)] = []
    private var captureSlots: [String: (Int, Bool)] = [:]

    /// Variables in scope as Rhai counts them (a name declared again in its own block is one), kept
    /// as declarations come and blocks close, so counting costs nothing per `let`.
    private(set) var liveVariables = 0
    private var scopeIDs: [Int] = [0]
    private var nextScopeID = 1
    /// For each name, the blocks (innermost last) that declare it.
    private var declaredIn: [String: [Int]] = [:]

    init(parent: FunctionContext?) { self.parent = parent }

    /// Whether the innermost block already declares `name`.
    func declaresInCurrentScope(_ name: String) -> Bool { declaredIn[name]?.last == scopeIDs.last }

    func pushScope() {
        scopes.append([])
        scopeIDs.append(nextScopeID)
        nextScopeID += 1
    }

    func popScope() {
        let id = scopeIDs.removeLast()
        for b in scopes.removeLast() where declaredIn[b.name]?.last == id {
            declaredIn[b.name]!.removeLast()
            liveVariables -= 1
        }
    }

    func declare(_ name: String, isConst: Bool = false) -> Int {
        let slot = slotCount
        slotCount += 1
        if !declaresInCurrentScope(name) {
            declaredIn[name, default: []].append(scopeIDs[scopeIDs.count - 1])
            liveVariables += 1
        }
        scopes[scopes.count - 1].append(Binding(name: name, slot: slot, isConst: isConst))
        return slot
    }

    func lookupLocal(_ name: String) -> Binding? {
        for scope in scopes.reversed() {
            if let b = scope.last(where: { $0.name == name }) { return b }
        }
        if let (slot, c) = captureSlots[name] { return Binding(name: name, slot: slot, isConst: c) }
        return nil
    }

    /// The name of the constant held in `slot` (a local or a captured variable), or nil for a variable.
    func constantName(slot: Int) -> String? {
        for scope in scopes.reversed() {
            if let b = scope.last(where: { $0.slot == slot }) { return b.isConst ? b.name : nil }
        }
        for (name, (s, isConst)) in captureSlots where s == slot { return isConst ? name : nil }
        return nil
    }

    /// Records a name that no enclosing function defines, in this closure and the closures around it.
    func noteFree(_ name: String, _ pos: Pos) {
        var c: FunctionContext? = self
        while let f = c, f.parent != nil {
            if !f.freeNames.contains(where: { $0.0 == name }) { f.freeNames.append((name, pos)) }
            c = f.parent
        }
    }

    /// Finds a variable, capturing it from enclosing functions when this is a closure.
    func lookup(_ name: String) -> Binding? {
        if let b = lookupLocal(name) { return b }
        guard let parent, let outer = parent.lookup(name) else { return nil }
        let inner = slotCount
        slotCount += 1
        captures.append(Capture(outerSlot: outer.slot, innerSlot: inner))
        captureSlots[name] = (inner, outer.isConst)
        return Binding(name: name, slot: inner, isConst: outer.isConst)
    }
}
