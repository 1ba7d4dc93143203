extension Dynamic {
    /// Values may nest at most this deep: deeper data would overflow the native stack when it is
    /// printed, compared or freed (all of which recurse).
    static let maxNesting = 1_000

    var isContainer: Bool {
        switch self {
        case .array, .map, .fnPtr, .shared, .tagged: true
        default: false
        }
    }

    /// Whether nesting (containers inside containers, closures capturing closures) exceeds `limit`.
    /// Iterative, so it cannot itself overflow the stack; shared boxes are visited once (they can form cycles).
    func nestingExceeds(_ limit: Int) -> Bool {
        guard isContainer else { return false }
        var work: [(Dynamic, Int)] = [(self, 1)]
        var seen = Set<ObjectIdentifier>()
        // Shared array/map storage is visited again only when reached deeper (values form a DAG).
        var depthOf: [UInt: Int] = [:]
        func firstVisit(_ storage: UInt, _ d: Int) -> Bool {
            if let old = depthOf[storage], old >= d { return false }
            depthOf[storage] = d
            return true
        }
        while let (v, d) = work.popLast() {
            if d > limit { return true }
            switch v {
            case .array(let a):
                guard firstVisit(unsafeBitCast(a, to: UInt.self), d) else { continue }
                for x in a where x.isContainer { work.append((x, d + 1)) }
            case .map(let m):
                guard firstVisit(unsafeBitCast(m, to: UInt.self), d) else { continue }
                for x in m.values where x.isContainer { work.append((x, d + 1)) }
            case .fnPtr(let f):
                for x in f.curried where x.isContainer { work.append((x, d + 1)) }
                for x in f.captured where x.isContainer { work.append((x, d + 1)) }
            case .shared(let s):
                if seen.insert(ObjectIdentifier(s)).inserted, s.value.isContainer { work.append((s.value, d)) }
            case .tagged(let t):
                if t.value.isContainer { work.append((t.value, d)) }
            default: break
            }
        }
        return false
    }
}
