import CirclesTestSupport
import Codecs
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// The launcher in-process: keys generated and kept, circles routed by path on a shared port, start
/// scripts run in each circle's context, authenticated plays, bad configs that start nothing.
@Suite struct LauncherTests {
    static func write(_ files: [String: String]) throws -> String {
        let directory = try TemporaryDirectory.make(prefix: "circles-launch")
        for (name, text) in files { try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
        return directory
    }

    /// A launcher of the config `json(ports)` makes, on fresh ports again when another test bound one
    /// of them between finding it free and the launcher binding it.
    static func launcher(ports count: Int, settings: LauncherSettings, _ json: ([Int]) -> String) throws -> (Launcher, [Int]) {
        var attempt = 0
        while true {
            attempt += 1
            let ports = try (0..<count).map { _ in try FreePort.next() }
            let directory = try write(["circles.json": json(ports)])
            let config = try LauncherConfig.load(path: directory + "/circles.json", environment: [:])
            let made = Result { () throws(ConfigError) -> Launcher in try Launcher(config: config, settings: settings) }
            if case .failure(let error) = made, attempt < 5, "\(error)".contains("Address already in use") { continue }
            return (try made.get(), ports)
        }
    }

    @Test func launchesCirclesByPortAndPathWithKeysAndStartScripts() async throws {
        let (shared, other) = (try FreePort.next(), try FreePort.next())
        let directory = try Self.write([
            "circles.json": """
                [{"name": "alpha", "port": \(shared), "script_path": "alpha.rhai", "policy": {"grants": {"*": ["data.read"]}}},
                 {"name": "beta", "port": \(shared), "policy": {"grants": {"*": ["data.read"]}}},
                 {"name": "gamma", "port": \(other), "script_path": "gamma.rhai", "policy": {"grants": {"*": ["data.read"]}}}]
                """,
            "alpha.rhai": "save_data(\"started\", CIRCLE_PUBLIC_KEY); print(\"alpha up\"); 1",
            "gamma.rhai": "save_data(\"started\", \"gamma\"); 2",
        ])
        let config = try LauncherConfig.load(path: directory + "/circles.json", environment: [:])
        let launcher = try Launcher(config: config)
        #expect(launcher.circles.map(\.name) == ["alpha", "beta", "gamma"])
        for name in ["alpha", "beta", "gamma"] {
            let key = try PrivateKey(contentsOfFile: "\(directory)/\(name).key")
            let circle = launcher.circles.first { $0.name == name }
            #expect(circle?.publicKey == key.publicKey.hex)
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(directory)/\(name).key")
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
        #expect(launcher.circles[0].url.hasPrefix("ws://127.0.0.1:\(shared)/"))
        #expect(launcher.circles[2].url.hasPrefix("ws://127.0.0.1:\(other)/"))
        let running = Task { try await launcher.run() }

        let caller = PrivateKey()
        let alpha = try await Self.peer(launcher.circles[0].url)
        #expect(try await alpha.call("play", ["script": "1"])["error"]?["code"]?.intValue == -32001, "authentication is on by default")
        _ = try await alpha.authenticate(with: caller)
        try await Wait.until(timeout: 20, "alpha's start script to have run") {
            (try? await alpha.call("play", ["script": "load_data(\"started\")"]))?["result"]?["output"]?.stringValue == launcher.circles[0].publicKey
        }
        let gamma = try await Self.peer(launcher.circles[2].url)
        _ = try await gamma.authenticate(with: caller)
        try await Wait.until(timeout: 20, "gamma's start script to have run") {
            (try? await gamma.call("play", ["script": "load_data(\"started\")"]))?["result"]?["output"]?.stringValue == "gamma"
        }
        let beta = try await Self.peer(launcher.circles[1].url)
        _ = try await beta.authenticate(with: caller)
        let whoami = try await beta.call("whoami")
        #expect(whoami["result"]?["circle"]?.stringValue == launcher.circles[1].publicKey)
        #expect(try await beta.call("play", ["script": "list_data().len()"])["result"]?["output"]?.stringValue == "0", "namespaces are separate")

        launcher.stop()
        #expect(await alpha.closeCode() == 1001)
        try await running.value
        let relaunched = try Launcher(config: config)
        #expect(relaunched.circles == launcher.circles, "keys are kept across starts")
    }

    /// `"require_bound_auth": true` makes that circle refuse the legacy form; `--require-bound-auth`
    /// (settings) every circle. The bound form authenticates everywhere.
    @Test(arguments: [false, true])
    func circlesAndLaunchersMayRequireTheBoundForm(everywhere: Bool) async throws {
        var settings = LauncherSettings()
        settings.requireBoundAuth = everywhere
        let (launcher, ports) = try Self.launcher(ports: 1, settings: settings) { ports in
            #"[{"name": "strict", "port": \#(ports[0]), "require_bound_auth": true}, {"name": "open", "port": \#(ports[0])}]"#
        }
        let running = Task { try await launcher.run() }
        let caller = PrivateKey()
        for circle in launcher.circles {
            let legacy = try await Self.peer(circle.url)
            let refused = circle.name == "strict" || everywhere
            let reply = try await legacy.authenticate(with: caller)
            #expect((reply["error"]?["code"]?.intValue == -32002) == refused, "\(circle.name): \(reply)")
            let bound = try await Self.peer(circle.url)
            let nonce = try await bound.call("fetch_nonce", ["pubkey": .string(caller.publicKey.hex)])["result"]?["nonce"]?.stringValue ?? ""
            let message = SignatureDomain.authentication(host: "127.0.0.1:\(ports[0])", circle: circle.publicKey, nonce: nonce)
            let answer = try await bound.call("authenticate", ["pubkey": .string(caller.publicKey.hex), "signature": .string(Hex.encode(caller.signCompact(message)))])
            #expect(answer["result"]?["authenticated"] == .bool(true), "\(circle.name): \(answer)")
        }
        launcher.stop()
        try await running.value
    }

    @Test func badConfigsAreOneLineNamingTheEntryAndFieldAndStartNothing() async throws {
        let busy = try NodeRig()
        let port = try FreePort.next()
        let stranger = PrivateKey()
        let keyDirectory = try Self.write(["wrong.key": "not hex\n", "good.key": PrivateKey().hex, "exposed.key": PrivateKey().hex])
        for name in ["wrong.key", "good.key"] { chmod("\(keyDirectory)/\(name)", 0o600) }
        chmod("\(keyDirectory)/exposed.key", 0o644)
        let cases: [(String, String)] = [
            (#"[{"name": "a", "port": \#(busy.port)}]"#, #"entry #1 ("a"): field "port": cannot listen on 127.0.0.1:\#(busy.port)"#),
            (#"[{"name": "a", "port": \#(port), "public_key": "02zz"}]"#, #"field "public_key": not a secp256k1 public key"#),
            (#"[{"name": "a", "port": \#(port), "private_key_file": "\#(keyDirectory)/wrong.key"}]"#, #"field "private_key_file""#),
            (#"[{"name": "a", "port": \#(port), "private_key_file": "\#(keyDirectory)/exposed.key"}]"#,
             #"field "private_key_file": the key file \#(keyDirectory)/exposed.key has mode 644: others may read it"#),
            (#"[{"name": "a", "port": \#(port), "public_key": "\#(stranger.publicKey.hex)", "private_key_file": "\#(keyDirectory)/good.key"}]"#,
             #"field "public_key": does not match"#),
            (#"[{"name": "a", "port": \#(port), "script_path": "missing.rhai"}]"#, #"field "script_path": cannot read"#),
            (#"[{"name": "a", "port": \#(port), "public_key": "\#(stranger.publicKey.hex)"}, {"name": "b", "port": \#(port), "public_key": "\#(stranger.publicKey.hex)"}]"#,
             #"entry #2 ("b"): field "public_key": the same key as "a""#),
        ]
        for (text, expected) in cases {
            let directory = try Self.write(["circles.json": text])
            let config = try LauncherConfig.load(path: directory + "/circles.json", environment: [:])
            #expect { _ = try Launcher(config: config, file: "circles.json") } throws: { error in
                let line = "\(error)"
                return line.contains(expected) && !line.contains("\n")
            }
        }
        #expect(!FreePort.isListening(port), "nothing started")
        try await busy.stop()
    }

    static func peer(_ url: String) async throws -> RPCPeer {
        let (connection, events) = try await WebSocketClient.connect(to: url)
        return RPCPeer(connection: connection, events: events)
    }
}

/// A node of the launcher that ends is rebuilt on its port, and the other ports' sessions never notice.
@Suite struct LauncherRestartTests {
    @Test func aNodeThatEndsIsRestartedWithoutTouchingTheOthers() async throws {
        let rig = try await TwoPortLauncher()
        let (launcher, first, two) = (rig.launcher, rig.first, rig.two)
        #expect(try await two.call("play", ["script": "1"])["result"]?["output"]?.stringValue == "1")
        let one = try #require(await rig.one())
        let original = try #require(launcher.nodes[first]?.current)
        original.stop()
        #expect(await one.closeCode() == 1001)
        try await Wait.until(timeout: 30, "the node on port \(first) to be rebuilt") { launcher.nodes[first]?.current !== original }
        try await Wait.until(timeout: 30, "port \(first) to serve again") {
            guard let peer = await rig.one() else { return false }
            return (try? await peer.call("play", ["script": "2"]))?["result"]?["output"]?.stringValue == "2"
        }
        #expect(try await two.call("play", ["script": "3"])["result"]?["output"]?.stringValue == "3", "the other port's session lives on")
        #expect(rig.restarts(first) == 1)
        #expect(rig.restarts(rig.second) == 0)
        try await rig.stop()
    }
}
