#if canImport(Glibc)
import Glibc
#endif
import Rhai

extension CircleEngine {
    /// `test_hold_begin()` and `test_hold_released()`, for tests that hold a script in flight (TestSupport's
    /// `HeldScript`): they exist only in a namespace holding a `test-hold` directory, which a test creates.
    /// The first marks `test-hold/running`, the second says whether `test-hold/go` exists. They are
    /// outside the circle's transactional state on purpose: a test sees a running script's mark at once.
    func registerTestHold() {
        let directory = namespace.root + "/test-hold"
        engine.registerFunction("test_hold_begin", arity: 0) { _ in
            guard access(directory, F_OK) == 0 else { throw RhaiError(.functionNotFound, "Function not found: test_hold_begin ()") }
            let fd = open(directory + "/running", O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
            if fd >= 0 { close(fd) }
            return .unit
        }
        engine.registerFunction("test_hold_released", arity: 0) { _ in
            guard access(directory, F_OK) == 0 else { throw RhaiError(.functionNotFound, "Function not found: test_hold_released ()") }
            return .bool(access(directory + "/go", F_OK) == 0)
        }
    }
}
