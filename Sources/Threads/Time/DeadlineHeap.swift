/// A min-heap of elements by deadline; elements with equal deadlines come out in the order they went
/// in. There is no removal of one element: owners that cancel (the timers) mark an element dead, skip
/// it when it reaches the top, and drop the dead ones in bulk with `removeAll(where:)`.
public struct DeadlineHeap<Element> {
    private struct Entry {
        var deadline: Double
        var order: UInt64
        var element: Element

        func precedes(_ other: Entry) -> Bool { deadline < other.deadline || (deadline == other.deadline && order < other.order) }
    }

    private var entries: [Entry] = []
    private var pushed: UInt64 = 0

    public init() {}

    public var count: Int { entries.count }

    /// The element with the earliest deadline, and that deadline.
    public var first: (deadline: Double, element: Element)? { entries.first.map { ($0.deadline, $0.element) } }

    public mutating func push(_ element: Element, at deadline: Double) {
        pushed += 1
        entries.append(Entry(deadline: deadline, order: pushed, element: element))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].precedes(entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the element with the earliest deadline.
    @discardableResult
    public mutating func popFirst() -> Element? {
        guard let first = entries.first else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            siftDown(0)
        }
        return first.element
    }

    /// Drops the elements `shouldRemove` picks, in one pass, and restores the heap order.
    public mutating func removeAll(where shouldRemove: (Element) -> Bool) {
        entries.removeAll { shouldRemove($0.element) }
        var index = entries.count / 2
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
            if left < entries.count, entries[left].precedes(entries[first]) { first = left }
            if right < entries.count, entries[right].precedes(entries[first]) { first = right }
            guard first != parent else { return }
            entries.swapAt(parent, first)
            parent = first
        }
    }
}
