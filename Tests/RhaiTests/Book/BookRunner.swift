import Dispatch
import Rhai

/// Runs the Book's scripts one at a time on a queue of their own, so that more than two thousand
/// small cases never hold Swift's cooperative pool (two threads here), which the other suites' servers
/// need; the test awaits the outcome and asserts on it in its own task.
enum BookRunner {
    private static let queue = DispatchQueue(label: "circles.rhai-book-tests")

    /// The script's value and printed lines, or its error.
    static func run(_ script: String) async -> Result<(value: Dynamic, lines: [String]), RhaiError> {
        await withCheckedContinuation { continuation in
            queue.async {
                let outcome: Result<(value: Dynamic, lines: [String]), RhaiError>
                do throws(RhaiError) {
                    let (value, lines) = try runScript(script)
                    outcome = .success((value, lines))
                } catch {
                    outcome = .failure(error)
                }
                continuation.resume(returning: outcome)
            }
        }
    }
}
