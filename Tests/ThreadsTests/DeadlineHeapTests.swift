import Testing
import TestSupport
import Threads

@Suite struct DeadlineHeapTests {
    @Test func popsByDeadlineEqualDeadlinesInPushOrderAndSurvivesBulkRemoval() {
        var generator = SeededGenerator()
        var heap = DeadlineHeap<Int>()
        var pushed: [(deadline: Double, label: Int)] = []
        for label in 0..<1_000 {
            let deadline = Double(Int.random(in: 0..<40, using: &generator))
            heap.push(label, at: deadline)
            pushed.append((deadline, label))
        }
        heap.removeAll { $0 % 3 == 0 }
        // A stable sort by deadline keeps push order among equal deadlines.
        let expected = pushed.filter { $0.label % 3 != 0 }.enumerated()
            .sorted { ($0.element.deadline, $0.offset) < ($1.element.deadline, $1.offset) }.map(\.element.label)
        #expect(heap.count == expected.count, "\(generator)")
        var popped: [Int] = []
        while let label = heap.popFirst() { popped.append(label) }
        #expect(popped == expected, "\(generator)")
        #expect(heap.first == nil)
    }
}
