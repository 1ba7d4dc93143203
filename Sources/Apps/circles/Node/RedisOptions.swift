import ArgumentParser
import Transport

/// `--redis-url`, `--redis-url-file`, or CIRCLES_REDIS_URL: where the queues are. The URL may hold a
/// password, so the file and the environment variable keep it off the command line.
struct RedisOptions: ParsableArguments {
    @Option(help: ArgumentHelp("redis://[:password@]host[:port][/db] (rediss:// for TLS, redis+sentinel://[password@]host:port[,host:port…]/master[/db][?sentinel_password=P] for Sentinel, rediss+sentinel:// with TLS); default: $CIRCLES_REDIS_URL (serve and launch without it: the embedded queue).",
                               valueName: "url"))
    var redisURL: String?
    @Option(help: ArgumentHelp("A file holding the Redis URL (keeps its password out of the process list).", valueName: "file"))
    var redisURLFile: String?
    @Option(help: ArgumentHelp("After each commit, WAIT until this many Redis replicas have it before the play is answered (0: no wait).", valueName: "n"))
    var redisWaitReplicas = 0
    @Option(name: .customLong("redis-tls-ca"), help: ArgumentHelp("PEM certificate authorities trusted for rediss:// and rediss+sentinel:// (default: the system's CA store).", valueName: "file"))
    var redisTLSCA: String?

    func validate() throws {
        if redisURL != nil, redisURLFile != nil { throw ValidationError("give --redis-url or --redis-url-file, not both") }
        if !(0...64).contains(redisWaitReplicas) { throw ValidationError("--redis-wait-replicas must be 0...64") }
    }

    /// What a `rediss://` server's certificate is checked against: `--redis-tls-ca`, else nil (the
    /// system's CA store); an unreadable file ends the command with exit code 2.
    func tlsContext() -> TLSClientContext? {
        guard let redisTLSCA else { return nil }
        do {
            return try TLSClientContext(trust: .certificateAuthorityFile(redisTLSCA))
        } catch {
            CommandLogging.fail("--redis-tls-ca \(redisTLSCA): \(error)", code: 2)
        }
    }

    /// The URL from the flag, the file or the environment; nil when none gives one.
    func resolve() -> String? {
        SecretSource.resolve(flag: redisURL, file: redisURLFile, environment: "CIRCLES_REDIS_URL", fileOption: "--redis-url-file")
    }
}
