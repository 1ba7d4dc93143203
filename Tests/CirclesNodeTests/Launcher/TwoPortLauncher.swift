@testable import CirclesNode
import CirclesTestSupport
import Transport

/// A running launcher of two open circles, "one" and "two", each on a port of its own, with a session
/// to "two".
final class TwoPortLauncher: Sendable {
    let launcher: Launcher
    let first: Int
    let second: Int
    let running: Task<Void, any Error>
    let two: RPCPeer

    init() async throws {
        var settings = LauncherSettings()
        settings.authRequired = false
        let (launcher, ports) = try LauncherTests.launcher(ports: 2, settings: settings) { ports in
            #"[{"name": "one", "port": \#(ports[0])}, {"name": "two", "port": \#(ports[1])}]"#
        }
        (self.launcher, first, second) = (launcher, ports[0], ports[1])
        running = Task { try await launcher.run() }
        two = try await LauncherTests.peer(launcher.circles[1].url)
    }

    /// A new session to "one", or nil while its port does not answer.
    func one() async -> RPCPeer? { try? await LauncherTests.peer(launcher.circles[0].url) }

    /// How often the launcher's supervisor restarted the node on `port`.
    func restarts(_ port: Int) -> Int? { launcher.snapshot().children.first { $0.id == "port-\(port)" }?.restarts }

    func stop() async throws {
        launcher.stop()
        try await running.value
    }
}
