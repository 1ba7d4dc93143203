/// `circles worker` arguments for the Redis tests: one circle, its data under `directory`, the tests'
/// task secret and every caller granted everything, then `extra`.
package enum WorkerCommand {
    package static func arguments(redis url: String, circle: String, directory: String, _ extra: [String] = []) throws -> [String] {
        ["worker", "--redis-url", url, "--circle-public-key", circle, "--data-dir", directory + "/data",
         "--task-secret-file", try TestTaskSecret.file(), "--grant", "*=all"] + extra
    }
}
