import Testing
@testable import Transport

@Suite struct RedisURLTests {
    @Test(arguments: [
        ("redis://localhost", RedisURL(host: "localhost")),
        ("redis://127.0.0.1:6390", RedisURL(port: 6390)),
        ("redis://:secret@host:7000/3", RedisURL(host: "host", port: 7000, password: "secret", database: 3)),
        ("redis://alice:p%40ss@host/2", RedisURL(host: "host", username: "alice", password: "p@ss", database: 2)),
        ("redis://secret@host", RedisURL(host: "host", password: "secret")),
        ("redis://[::1]:6380/1", RedisURL(host: "::1", port: 6380, database: 1)),
        ("rediss://:pw@cache.example:6380/4", RedisURL(host: "cache.example", port: 6380, password: "pw", database: 4, tls: true)),
    ] as [(String, RedisURL)])
    func parses(text: String, expected: RedisURL) throws {
        #expect(try RedisURL(text) == expected)
    }

    @Test(arguments: ["http://host", "redis://", "rediss://", "rediss:/host", "redis://host:0", "redis://host:99999", "redis://host/x", "redis://[::1"])
    func rejects(text: String) {
        #expect(throws: RedisError.self) { try RedisURL(text) }
    }

    @Test func hidesThePasswordWhenPrinted() throws {
        #expect(try RedisURL("redis://u:secret@h:1/2").description == "redis://u:***@h:1/2")
        #expect(try RedisURL("rediss://:secret@h").description == "rediss://:***@h:6379/0")
    }
}
