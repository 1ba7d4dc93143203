/// Hands a non-Sendable value to another thread that alone uses it from then on.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
