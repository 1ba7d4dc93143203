import Foundation

/// Runs the parser and evaluator on a dedicated thread with a large stack, so recursion in scripts is
/// bounded by the call-depth limit and a stack-address check rather than by the caller's thread.
enum BigStack {
    static let size = 256 << 20
    static let margin = 2 << 20

    private final class Box<R>: @unchecked Sendable {
        var result: Result<R, RhaiError>?
    }

    /// Calls `body` with the lowest safe stack address on a fresh thread and waits for it.
    static func run<R>(_ body: @escaping (UInt) throws(RhaiError) -> R) throws(RhaiError) -> R {
        let box = Box<R>()
        let done = DispatchSemaphore(value: 0)
        let work = UncheckedSendable(body)
        let thread = Thread {
            let top = Interp.stackAddress()
            let limit = top > UInt(size - margin) ? top - UInt(size - margin) : 0
            do throws(RhaiError) {
                box.result = .success(try work.value(limit))
            } catch {
                box.result = .failure(error)
            }
            done.signal()
        }
        thread.stackSize = size
        thread.start()
        done.wait()
        return try box.result!.get()
    }
}
