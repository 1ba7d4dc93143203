extension Interp {
    func track(_ box: SharedValue) {
        boxes.append(WeakShared(box: box))
        if boxes.count >= compactBoxesAt {
            boxes.removeAll { $0.box == nil }
            compactBoxesAt = max(64, boxes.count * 2)
        }
    }

    /// Empties the boxes this run made that `kept` (the result, the scope) cannot reach, so cycles
    /// through closures (`let f = || f;`, an array holding a closure that captured it) are freed.
    func releaseCycles(keeping kept: [Dynamic]) {
        let alive = boxes.compactMap(\.box)
        boxes = []
        guard !alive.isEmpty else { return }
        var reachable = Set<ObjectIdentifier>()
        var seen = Set<UInt>()
        var work = kept
        while let v = work.popLast() {
            switch v {
            case .array(let a):
                guard seen.insert(unsafeBitCast(a, to: UInt.self)).inserted else { continue }
                for x in a where x.isContainer { work.append(x) }
            case .map(let m):
                guard seen.insert(unsafeBitCast(m, to: UInt.self)).inserted else { continue }
                for x in m.values where x.isContainer { work.append(x) }
            case .fnPtr(let f):
                guard seen.insert(UInt(bitPattern: ObjectIdentifier(f).hashValue)).inserted else { continue }
                for x in f.curried where x.isContainer { work.append(x) }
                for x in f.captured where x.isContainer { work.append(x) }
            case .shared(let s):
                if reachable.insert(ObjectIdentifier(s)).inserted { work.append(s.value) }
            case .tagged(let t): work.append(t.value)
            default: break
            }
        }
        for box in alive where !reachable.contains(ObjectIdentifier(box)) { box.value = .unit }
    }
}
