import TestSupport
import CirclesNode

/// The task secret the Redis tests' gateways and workers share.
package enum TestTaskSecret {
    package static let text = "circles-test-task-secret-0123456789abcdef"
    package static let secret = try! TaskSecret(text: text)

    /// A new 0600 file holding the secret, for `circles worker --task-secret-file`.
    package static func file() throws -> String {
        let path = try TemporaryDirectory.make(prefix: "circles-secret") + "/task-secret"
        try secret.write(toFile: path)
        return path
    }

    /// Source options that verify tasks with the secret.
    package static func signed(_ options: RedisTaskSource.Options) -> RedisTaskSource.Options {
        var options = options
        options.secret = secret
        return options
    }
}
