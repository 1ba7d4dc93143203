import Foundation

/// Where the tests run. In CI (`CI=true`, as GitHub Actions and scripts/test.sh set it) every
/// prerequisite is installed by the run itself, so a test that needs one runs and fails with a clear
/// message when it is missing instead of being skipped.
public enum TestEnvironment {
    public static var isCI: Bool {
        let value = ProcessInfo.processInfo.environment["CI"]?.lowercased()
        return value == "true" || value == "1"
    }
}
