import CircleClient
import CirclesCore
import CirclesTestSupport
import Foundation
import Testing
import TestSupport
import Transport

/// `circles serve --log-level debug --log-format json`: one JSON object per line on stderr, with the
/// access lines (HTTP requests, sessions) and the debug lines (authentications, failed ones too, and
/// plays) carrying circle, session, caller, task and request as metadata.
@Suite struct LoggingTests {
    @Test(.enabled(if: CirclesBinary.isBuilt), .timeLimit(.minutes(2)))
    func debugJSONLogsCarryMetadata() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-logs")
        let circle = PrivateKey().publicKey.hex
        let node = try CirclesBinary.start(["serve", "--circle", circle, "--port", "0", "--data-dir", directory + "/data",
                                            "--log-level", "debug", "--log-format", "json"], in: directory)
        defer { node.process.kill(SIGKILL) }
        try await Wait.until(timeout: 30, "the node to print its address") { CirclesBinary.read(node.out).hasSuffix("\n") }
        let port = try #require(CirclesBinary.read(node.out).split(separator: ":").last?.split(separator: "/").first.flatMap { Int($0) })
        let url = "ws://127.0.0.1:\(port)/\(circle)"

        let caller = PrivateKey()
        let client = try CircleClient.Builder(url: url).keyPair(caller).timeout(60).build()
        try await client.connect()
        _ = try await client.authenticate()
        #expect(try await client.play("6 * 7").output == "42")
        await client.close()
        // A wrong signature: refused, logged at debug.
        let (connection, events) = try await WebSocketClient.connect(to: url)
        let peer = RPCPeer(connection: connection, events: events)
        _ = try await peer.call("fetch_nonce", ["pubkey": .string(caller.publicKey.hex)])
        _ = try await peer.call("authenticate", ["pubkey": .string(caller.publicKey.hex), "signature": .string(String(repeating: "0", count: 128))])
        let probe = try BlockingSocket(port: port)
        probe.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
        _ = await probe.readToEnd()

        var lines: [JSON] = []
        try await Wait.until(timeout: 30, "the log lines") {
            lines = CirclesBinary.read(node.err).split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
            let messages = lines.compactMap { $0["message"]?.stringValue }
            return messages.contains("GET /health/live 200") && messages.contains { $0.hasPrefix("authentication failed") }
                && messages.filter { $0.hasSuffix(" closed") }.count >= 1
        }
        // Every line on stderr is a JSON object with the fixed fields.
        let raw = CirclesBinary.read(node.err).split(separator: "\n").filter { !$0.isEmpty }
        #expect(raw.count == lines.count, "lines that are not JSON: \(raw.filter { (try? JSONParser.parse(String($0))) == nil })")
        for line in lines { #expect(line["ts"]?.stringValue != nil && line["level"]?.stringValue != nil && line["logger"]?.stringValue != nil) }

        let authenticated = try #require(lines.first { $0["message"]?.stringValue == "authenticated" })
        #expect(authenticated["level"]?.stringValue == "debug")
        #expect(authenticated["circle"]?.stringValue == circle)
        #expect(authenticated["caller"]?.stringValue == caller.publicKey.hex)
        #expect(authenticated["session"]?.stringValue != nil)
        let play = try #require(lines.first { $0["message"]?.stringValue == "play" })
        #expect(play["task"]?.stringValue?.isEmpty == false)
        #expect(play["request"]?.stringValue != nil)
        #expect(play["caller"]?.stringValue == caller.publicKey.hex)
        #expect(play["outcome"]?.stringValue == "completed")
        #expect(play["seconds"]?.stringValue.flatMap(Double.init) != nil)
        let failed = try #require(lines.first { $0["message"]?.stringValue?.hasPrefix("authentication failed") == true })
        #expect(failed["caller"]?.stringValue == caller.publicKey.hex)
        let access = try #require(lines.first { $0["message"]?.stringValue == "GET /health/live 200" })
        #expect(access["status"]?.stringValue == "200" && access["path"]?.stringValue == "/health/live")
        let upgrade = lines.first { $0["status"]?.stringValue == "101" }
        #expect(upgrade?["path"]?.stringValue == "/\(circle)")
        let session = try #require(lines.first { $0["message"]?.stringValue?.hasSuffix(" closed") == true })
        #expect(session["circle"]?.stringValue == circle && session["seconds"]?.stringValue != nil)
        await node.process.stop()
    }

    @Test(.enabled(if: CirclesBinary.isBuilt))
    func theDefaultLevelKeepsDebugLinesOut() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-logs")
        let circle = PrivateKey().publicKey.hex
        let node = try CirclesBinary.start(["serve", "--circle", circle, "--port", "0", "--data-dir", directory + "/data"], in: directory)
        defer { node.process.kill(SIGKILL) }
        try await Wait.until(timeout: 30, "the node to print its address") { CirclesBinary.read(node.out).hasSuffix("\n") }
        let port = try #require(CirclesBinary.read(node.out).split(separator: ":").last?.split(separator: "/").first.flatMap { Int($0) })
        let probe = try BlockingSocket(port: port)
        probe.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
        _ = await probe.readToEnd()
        await node.process.stop()
        #expect(!CirclesBinary.read(node.err).contains("/health/live"))
    }
}
