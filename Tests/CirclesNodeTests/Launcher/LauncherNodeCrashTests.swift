import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// A node of the launcher that crashes (its own tree gives up, so its `run` throws) is rebuilt on its
/// port by the launcher's supervisor; the other port's sessions never notice.
@Suite struct LauncherNodeCrashTests {
    @Test(.timeLimit(.minutes(2)))
    func aNodeWhoseTreeGivesUpIsRebuiltOnItsPort() async throws {
        let rig = try await TwoPortLauncher()
        let (launcher, first, two) = (rig.launcher, rig.first, rig.two)
        #expect(try await two.call("play", ["script": "1"])["result"]?["output"]?.stringValue == "1")
        let one = try #require(await rig.one())
        #expect(try await one.call("play", ["script": "2"])["result"]?["output"]?.stringValue == "2")
        let original = try #require(launcher.nodes[first]?.current)
        // A closed queue ends its maintenance at once every time it is restarted: the node's tree passes
        // its restart intensity and gives up, and the node's `run` throws.
        let queue = try #require(original.runtime.embedded)
        queue.close()
        try await Wait.until(timeout: 60, "the node on port \(first) to be rebuilt") { launcher.nodes[first]?.current !== original }
        let crashed = original.snapshot()
        #expect(crashed.state == .failed && crashed.restarts > 5, "the node's own tree gave up (5 restarts in 10 s): \(crashed)")
        try await Wait.until(timeout: 60, "port \(first) to serve again") {
            guard let peer = await rig.one() else { return false }
            return (try? await peer.call("play", ["script": "3"]))?["result"]?["output"]?.stringValue == "3"
        }
        #expect(try await two.call("play", ["script": "4"])["result"]?["output"]?.stringValue == "4", "the other port's session lives on")
        #expect(rig.restarts(first) == 1)
        #expect(rig.restarts(rig.second) == 0)
        try await rig.stop()
    }
}
