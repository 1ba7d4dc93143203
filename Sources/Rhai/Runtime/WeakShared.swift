/// A weak reference to a captured variable's box.
struct WeakShared {
    weak var box: SharedValue?
}
