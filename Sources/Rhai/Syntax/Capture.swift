/// Where a closure's captured variable comes from in the enclosing frame, and its slot in the closure.
struct Capture {
    var outerSlot: Int
    var innerSlot: Int
}
