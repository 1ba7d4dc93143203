import Synchronization
import TestSupport
import Testing
@testable import Transport

@Suite struct LoopTimersTests {
    /// Labels of the jobs that ran, in order.
    final class Fired: Sendable {
        private let labels = Mutex<[Int]>([])
        func append(_ label: Int) { labels.withLock { $0.append(label) } }
        func take() -> [Int] { labels.withLock { labels in defer { labels.removeAll() }; return labels } }
    }

    /// Pops every job due by `now` and returns the labels they recorded, in order.
    private func drain(_ timers: inout LoopTimers, until now: Double, into fired: Fired) -> [Int] {
        while let job = timers.popDue(now) { job() }
        return fired.take()
    }

    @Test func dueTimersRunByDeadlineAndEqualDeadlinesInSchedulingOrder() {
        var timers = LoopTimers()
        let fired = Fired()
        for (label, deadline) in [(0, 5.0), (1, 1.0), (2, 5.0), (3, 3.0), (4, 1.0)] {
            _ = timers.schedule(at: deadline) { fired.append(label) }
        }
        #expect(timers.nextDeadline() == 1)
        #expect(drain(&timers, until: 0.5, into: fired) == [])
        #expect(drain(&timers, until: 3, into: fired) == [1, 4, 3])
        #expect(drain(&timers, until: 10, into: fired) == [0, 2])
        #expect(timers.nextDeadline() == nil)
    }

    @Test func randomSchedulesAndCancelsMatchASortedList() {
        var generator = SeededGenerator()
        for _ in 0..<20 {
            var timers = LoopTimers()
            let fired = Fired()
            var live: [(deadline: Double, label: Int, id: UInt64)] = []
            for label in 0..<500 {
                let deadline = Double(Int.random(in: 0..<50, using: &generator))
                let id = timers.schedule(at: deadline) { fired.append(label) }
                live.append((deadline, label, id))
                if Bool.random(using: &generator), let victim = live.indices.randomElement(using: &generator) {
                    timers.cancel(live[victim].id)
                    timers.cancel(live[victim].id)
                    live.remove(at: victim)
                }
            }
            #expect(timers.count == live.count, "\(generator)")
            let expected = live.sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
            #expect(timers.nextDeadline() == expected.first?.deadline)
            #expect(drain(&timers, until: 24.5, into: fired) == expected.filter { $0.deadline <= 24.5 }.map(\.label), "\(generator)")
            #expect(drain(&timers, until: 100, into: fired) == expected.filter { $0.deadline > 24.5 }.map(\.label), "\(generator)")
            #expect(timers.count == 0)
        }
    }

    @Test func cancelledTimersDoNotPileUpInTheHeap() {
        var timers = LoopTimers()
        let kept = (0..<8).map { index in timers.schedule(at: 1_000 + Double(index)) {} }
        for _ in 0..<100 {
            let batch = (0..<100).map { _ in timers.schedule(at: 10) {} }
            for id in batch { timers.cancel(id) }
            #expect(timers.count == 8)
            #expect(timers.stored <= 2 * 8 + 64)
        }
        #expect(timers.nextDeadline() == 1_000)
        for id in kept { timers.cancel(id) }
        #expect(timers.nextDeadline() == nil)
    }
}
