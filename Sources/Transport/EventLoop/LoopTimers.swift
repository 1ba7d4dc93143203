/// An event loop's timers: a min-heap of (deadline, id) with the jobs in a table by id, so that
/// scheduling costs O(log n) and cancelling O(1). A cancelled timer's heap entry stays until it
/// reaches the top or until stale entries are half of the heap, when they are swept in one pass.
/// Timers with equal deadlines run in the order they were scheduled. Loop-thread only.
struct LoopTimers {
    private struct Entry {
        var deadline: Double
        var id: UInt64

        func precedes(_ other: Entry) -> Bool { deadline < other.deadline || (deadline == other.deadline && id < other.id) }
    }

    private var heap: [Entry] = []
    private var jobs: [UInt64: () -> Void] = [:]
    private var lastId: UInt64 = 0

    /// Timers scheduled and neither run nor cancelled.
    var count: Int { jobs.count }
    /// Heap entries, stale ones included.
    var stored: Int { heap.count }

    mutating func schedule(at deadline: Double, _ job: @escaping () -> Void) -> UInt64 {
        lastId += 1
        jobs[lastId] = job
        heap.append(Entry(deadline: deadline, id: lastId))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
        return lastId
    }

    mutating func cancel(_ id: UInt64) {
        guard jobs.removeValue(forKey: id) != nil else { return }
        if heap.count >= 64, jobs.count * 2 < heap.count { sweep() }
    }

    /// The earliest deadline of a live timer.
    mutating func nextDeadline() -> Double? {
        while let top = heap.first, jobs[top.id] == nil { popTop() }
        return heap.first?.deadline
    }

    /// Removes and returns the job of the earliest live timer due at `now`, if any.
    mutating func popDue(_ now: Double) -> (() -> Void)? {
        while let top = heap.first, top.deadline <= now {
            popTop()
            if let job = jobs.removeValue(forKey: top.id) { return job }
        }
        return nil
    }

    private mutating func popTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func sweep() {
        heap.removeAll { jobs[$0.id] == nil }
        var index = heap.count / 2
        while index > 0 {
            index -= 1
            siftDown(index)
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < heap.count, heap[left].precedes(heap[first]) { first = left }
            if right < heap.count, heap[right].precedes(heap[first]) { first = right }
            guard first != parent else { return }
            heap.swapAt(parent, first)
            parent = first
        }
    }
}
