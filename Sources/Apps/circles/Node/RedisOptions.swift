import ArgumentParser

/// `--redis-url`, `--redis-url-file`, or CIRCLES_REDIS_URL: where the queues are. The URL may hold a
/// password, so the file and the environment variable keep it off the command line.
struct RedisOptions: ParsableArguments {
    @Option(help: ArgumentHelp("redis://[:password@]host[:port][/db] (rediss:// for TLS); default: $CIRCLES_REDIS_URL (serve and launch without it: the embedded queue).",
                               valueName: "url"))
    var redisURL: String?
    @Option(help: ArgumentHelp("A file holding the Redis URL (keeps its password out of the process list).", valueName: "file"))
    var redisURLFile: String?

    func validate() throws {
        if redisURL != nil, redisURLFile != nil { throw ValidationError("give --redis-url or --redis-url-file, not both") }
    }

    /// The URL from the flag, the file or the environment; nil when none gives one.
    func resolve() -> String? {
        SecretSource.resolve(flag: redisURL, file: redisURLFile, environment: "CIRCLES_REDIS_URL", fileOption: "--redis-url-file")
    }
}
