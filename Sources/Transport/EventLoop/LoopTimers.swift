import Threads

/// An event loop's timers: a `DeadlineHeap` of ids with the jobs in a table by id, so that scheduling
/// costs O(log n) and cancelling O(1). A cancelled timer's heap entry stays until it reaches the top
/// or until stale entries are half of the heap, when they are swept in one pass. Timers with equal
/// deadlines run in the order they were scheduled. Loop-thread only.
struct LoopTimers {
    private var heap = DeadlineHeap<UInt64>()
    private var jobs: [UInt64: () -> Void] = [:]
    private var lastId: UInt64 = 0

    /// Timers scheduled and neither run nor cancelled.
    var count: Int { jobs.count }
    /// Heap entries, stale ones included.
    var stored: Int { heap.count }

    mutating func schedule(at deadline: Double, _ job: @escaping () -> Void) -> UInt64 {
        lastId += 1
        jobs[lastId] = job
        heap.push(lastId, at: deadline)
        return lastId
    }

    mutating func cancel(_ id: UInt64) {
        guard jobs.removeValue(forKey: id) != nil else { return }
        if heap.count >= 64, jobs.count * 2 < heap.count {
            let live = jobs
            heap.removeAll { live[$0] == nil }
        }
    }

    /// The earliest deadline of a live timer.
    mutating func nextDeadline() -> Double? {
        while let top = heap.first, jobs[top.element] == nil { heap.popFirst() }
        return heap.first?.deadline
    }

    /// Removes and returns the job of the earliest live timer due at `now`, if any.
    mutating func popDue(_ now: Double) -> (() -> Void)? {
        while let top = heap.first, top.deadline <= now {
            heap.popFirst()
            if let job = jobs.removeValue(forKey: top.element) { return job }
        }
        return nil
    }
}
