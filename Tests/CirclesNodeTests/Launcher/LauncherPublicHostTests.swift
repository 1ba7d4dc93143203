import CirclesTestSupport
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode

/// The launcher's nodes answer the names of `--public-host` (settings) and of their entries'
/// `public_hosts`, and nothing else (issue 16).
@Suite struct LauncherPublicHostTests {
    /// The status of `GET /health` with `Host: host` (421 when the node does not answer to it; 200 or
    /// 503 by the node's health otherwise).
    static func status(port: Int, host: String) async throws -> Int {
        let socket = try BlockingSocket(port: port)
        socket.send("GET /health HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
        let text = String(decoding: await socket.readToEnd(), as: UTF8.self)
        return Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    @Test func aLauncherNodeAnswersItsEntriesAndTheCommandLinesNames() async throws {
        var settings = LauncherSettings()
        settings.publicHosts = ["all.example"]
        let (launcher, ports) = try LauncherTests.launcher(ports: 2, settings: settings) { ports in
            #"[{"name": "a", "port": \#(ports[0]), "host": "0.0.0.0", "public_hosts": ["a.example", "a2.example:8443"]},"#
                + #" {"name": "b", "port": \#(ports[0]), "host": "0.0.0.0", "public_hosts": ["b.example"]},"#
                + #" {"name": "c", "port": \#(ports[1]), "host": "0.0.0.0"}]"#
        }
        #expect(launcher.circles.map(\.url) == ["ws://all.example:\(ports[0])/\(launcher.circles[0].publicKey)",
                                                "ws://all.example:\(ports[0])/\(launcher.circles[1].publicKey)",
                                                "ws://all.example:\(ports[1])/\(launcher.circles[2].publicKey)"])
        let running = Task { try await launcher.run() }
        try await Wait.until(timeout: 30, "the launcher's nodes to accept") { launcher.isAccepting }
        for host in ["a.example", "b.example:\(ports[0])", "a2.example:8443", "all.example"] {
            #expect([200, 503].contains(try await Self.status(port: ports[0], host: host)), "\(host)")
        }
        for host in ["evil.example", "c.example", "a2.example", "127.0.0.1:\(ports[0])"] {
            #expect(try await Self.status(port: ports[0], host: host) == 421, "\(host)")
        }
        #expect([200, 503].contains(try await Self.status(port: ports[1], host: "all.example")))
        #expect(try await Self.status(port: ports[1], host: "a.example") == 421, "names of another port's entries stay there")
        launcher.stop()
        try await running.value
    }

    @Test func publicHostsInTheConfigAreCheckedBeforeAnythingStarts() throws {
        func parse(_ text: String) throws -> LauncherConfig {
            try LauncherConfig.parse(try JSONParser.parse(text), file: "circles.json", directory: "/tmp", environment: [:])
        }
        #expect(try parse(#"[{"name": "a", "port": 1, "public_hosts": ["node.example", "[2001:db8::1]:443"]}]"#).circles[0].publicHosts
                == ["node.example", "[2001:db8::1]:443"])
        for bad in [#""node.example""#, #"[1]"#, #"["http://node.example"]"#, #"["node.example/x"]"#, #"[""]"#, #"["a b"]"#] {
            #expect(throws: ConfigError.self, "\(bad)") { try parse(#"[{"name": "a", "port": 1, "public_hosts": \#(bad)}]"#) }
        }
    }
}
