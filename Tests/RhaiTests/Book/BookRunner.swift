import Rhai
import TestSupport

/// Runs the Book's scripts one at a time on the low-priority background thread, so that more than two
/// thousand small cases never hold Swift's cooperative pool (two threads here) nor crowd out the other
/// suites' servers; the test awaits the outcome and asserts on it in its own task.
enum BookRunner {
    /// The script's value and printed lines, or its error.
    static func run(_ script: String) async -> Result<(value: Dynamic, lines: [String]), RhaiError> {
        await BackgroundThread.serial {
            do throws(RhaiError) {
                let (value, lines) = try runScript(script)
                return .success((value, lines))
            } catch {
                return .failure(error)
            }
        }
    }
}
