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
        start(body) { result in
            box.result = result
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }

    /// Starts `body` on a fresh large-stack thread; `completion` receives its result on that thread.
    static func start<R>(_ body: @escaping (UInt) throws(RhaiError) -> R, completion: @escaping (Result<R, RhaiError>) -> Void) {
        let work = UncheckedSendable((body, completion))
        let thread = Thread {
            let top = Interp.stackAddress()
            let limit = top > UInt(size - margin) ? top - UInt(size - margin) : 0
            let (body, completion) = work.value
            do throws(RhaiError) {
                completion(.success(try body(limit)))
            } catch {
                completion(.failure(error))
            }
        }
        thread.stackSize = size
        thread.start()
    }
}
