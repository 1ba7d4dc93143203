import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// A node on a password-protected master and sentinels (issue 18): its gateway and its workers find the
/// master through the sentinels with their password and run a play that writes; a wrong password is a
/// clear error in the play's answer and in the log.
@Suite struct SentinelAuthNodeTests {
    @Test func aNodeOnAPasswordProtectedSentinelClusterRunsAPlay() async throws {
        let cluster = try await onDedicatedThread { try RedisSentinelCluster(password: "master-pw", sentinelPassword: "sentinel-pw") }
        let rig = try NodeRig {
            $0.redisURL = cluster.url
            $0.taskSecret = TestTaskSecret.secret
            $0.redisWaitReplicas = 1
            $0.playTimeout = 20
        }
        let peer = try await rig.connect()
        let reply = try await peer.call("play", ["script": #"save_data("k", 41); load_data("k") + 1"#])
        #expect(reply["result"]?["output"]?.stringValue == "42", "\(reply)")
        #expect(cluster.ask(port: cluster.replicaPort, "HGET rhailib:data:\(rig.circle) k").contains("41"), "committed on the replica too")
        try await rig.stop()
    }

    @Test(arguments: ["master", "sentinel"])
    func aWrongPasswordIsAClearError(wrong: String) async throws {
        let cluster = try await onDedicatedThread { try RedisSentinelCluster(password: "master-pw", sentinelPassword: "sentinel-pw") }
        let url = wrong == "master" ? cluster.url.replacingOccurrences(of: ":master-pw@", with: ":nope@")
            : cluster.url.replacingOccurrences(of: "sentinel_password=sentinel-pw", with: "sentinel_password=nope")
        let log = RecordedLog()
        let rig = try NodeRig(logger: log.logger) {
            $0.redisURL = url
            $0.taskSecret = TestTaskSecret.secret
            $0.playTimeout = 5
        }
        let peer = try await rig.connect()
        let reply = try await peer.call("play", ["script": "1"])
        let data = reply["error"]?["data"]?.stringValue ?? ""
        #expect(data.contains("WRONGPASS") && data.contains("task queue unavailable"), "\(reply)")
        #expect(data.contains("no sentinel named a master") == (wrong == "sentinel"), "\(data)")
        #expect(!data.contains("nope") && !data.contains("-pw"), "no password in the message")
        // The node's workers say why in the log.
        try await Wait.until(timeout: 30, "the workers' warning") {
            log.lines.withLock { $0.contains { $0.hasPrefix("warning") && $0.contains("WRONGPASS") } }
        }
        try await rig.stop()
    }
}
