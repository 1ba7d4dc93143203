import TestSupport
import Testing
@testable import Transport

/// Sentinels and masters that want a password, and all of it over TLS (issue 18): the URL's forms,
/// real redis-server and redis-sentinel processes, and clear errors for a wrong password or trust.
@Suite struct RedisSentinelSecurityTests {
    @Test func sentinelCredentialsAndTLSParse() throws {
        let url = try RedisURL("rediss+sentinel://u:m%40ster?@s1:26379,s2/main/2?sentinel_password=s%26cret&sentinel_username=watch")
        #expect(url.tls)
        #expect(url.username == "u" && url.password == "m@ster?")
        #expect(url.sentinelPassword == "s&cret" && url.sentinelUsername == "watch")
        #expect(url.masterName == "main" && url.database == 2)
        #expect(url.sentinels == [.init(host: "s1", port: 26379), .init(host: "s2", port: 26379)])
        #expect(url.sentinelURL(url.sentinels[0]) == RedisURL(host: "s1", port: 26379, username: "watch", password: "s&cret", tls: true))
        #expect(url.direct(host: "10.0.0.9", port: 6380) == RedisURL(host: "10.0.0.9", port: 6380, username: "u", password: "m@ster?", database: 2, tls: true))
        #expect(url.description == "rediss+sentinel://u:***@s1:26379,s2:26379/main/2?sentinel_username=watch&sentinel_password=***")
        let plain = try RedisURL("redis+sentinel://h:1/m?sentinel_password=p")
        #expect(!plain.tls && plain.password == nil && plain.sentinelPassword == "p")
        #expect(try RedisURL("redis+sentinel://h:1/m").sentinelURL(.init(host: "h", port: 1)) == RedisURL(host: "h", port: 1))
        for bad in ["redis+sentinel://h:1/m?password=p", "redis+sentinel://h:1/m?sentinel_password=p&tls=yes",
                    "rediss+sentinel://h:1", "redis+sentinel://h:1/m?" + String(repeating: "x", count: 5000)] {
            #expect(throws: RedisError.self, "\(bad)") { try RedisURL(bad) }
        }
    }

    @Test func passwordsForTheMasterAndTheSentinels() async throws {
        let cluster = try await onDedicatedThread { try RedisSentinelCluster(password: "master-pw", sentinelPassword: "sentinel-pw") }
        let client = RedisClient(url: try RedisURL(cluster.url), connections: 2, connectTimeout: 10)
        defer { client.close() }
        _ = try await client.send(["SET", "k", "v"])
        #expect(try await client.send(["GET", "k"]).string == "v")
        #expect(try await client.send(["WAIT", "1", "5000"]).integer == 1, "the replica authenticated to the master")
        let url = try RedisURL(cluster.url)
        let blocking = try await onDedicatedThread { try RedisBlockingConnection(url, timeout: 10) }
        #expect(try await onDedicatedThread { try blocking.send(["GET", "k"]) }.string == "v")

        let sentinels = cluster.sentinelPorts.map { "127.0.0.1:\($0)" }.joined(separator: ",")
        let wrongMaster = try RedisURL("redis+sentinel://:nope@\(sentinels)/circles?sentinel_password=sentinel-pw")
        let wrongSentinel = try RedisURL("redis+sentinel://:master-pw@\(sentinels)/circles?sentinel_password=nope")
        let noSentinelPassword = try RedisURL("redis+sentinel://:master-pw@\(sentinels)/circles")
        for (url, expected) in [(wrongMaster, "WRONGPASS"), (wrongSentinel, "WRONGPASS"), (noSentinelPassword, "NOAUTH")] {
            do {
                _ = try await RedisConnection.connect(url, timeout: 10)
                Issue.record("\(url) connected")
            } catch {
                let text = "\(error)"
                #expect(text.contains(expected), "\(text)")
                #expect(text.contains("sentinel") == (url != wrongMaster), "\(text)")
            }
            await #expect(throws: RedisError.self) { _ = try await onDedicatedThread { try RedisBlockingConnection(url, timeout: 10) } }
        }
    }

    @Test func tlsToTheSentinelsAndTheMaster() async throws {
        let certificate = try await TestCertificate.make()
        let cluster = try await onDedicatedThread {
            try RedisSentinelCluster(password: "master-pw", sentinelPassword: "sentinel-pw", certificate: certificate)
        }
        let trust = try TLSClientContext(trust: .certificateAuthorityFile(certificate.caPath))
        let client = RedisClient(url: try RedisURL(cluster.url), connections: 2, connectTimeout: 10, tls: trust)
        defer { client.close() }
        _ = try await client.send(["SET", "over", "tls"])
        #expect(try await client.send(["GET", "over"]).string == "tls")
        #expect(try await client.send(["WAIT", "1", "5000"]).integer == 1, "the replica follows over TLS")
        let dedicated = try await client.dedicated()
        #expect(try await dedicated.send(["ROLE"]).array?.first?.string == "master")
        dedicated.close()

        // A client that does not trust the test CA, or speaks plain Redis to TLS sentinels, is refused.
        let untrusted = RedisClient(url: try RedisURL(cluster.url), connectTimeout: 10, tls: try TLSClientContext(trust: .system))
        defer { untrusted.close() }
        do {
            _ = try await untrusted.send(["PING"])
            Issue.record("an untrusted certificate was accepted")
        } catch {
            #expect("\(error)".contains("TLS"), "\(error)")
        }
        let plainURL = try RedisURL(cluster.url.replacingOccurrences(of: "rediss+sentinel://", with: "redis+sentinel://"))
        await #expect(throws: RedisError.self) { _ = try await RedisConnection.connect(plainURL, timeout: 1) }
        await #expect(throws: RedisError.self, "a blocking connection speaks plain Redis only") {
            _ = try await onDedicatedThread { try RedisBlockingConnection(try RedisURL(cluster.url), timeout: 1) }
        }
    }
}
