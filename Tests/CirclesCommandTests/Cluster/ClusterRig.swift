#if canImport(Glibc)
import CirclesTestSupport
import Codecs
import Glibc
#endif
import CirclesCore
import Foundation
import TestSupport

/// `circles serve` nodes and `circles worker` processes sharing one Redis (a `redis://` or a
/// `redis+sentinel://` URL), for one circle, on loopback. Everything is killed with the rig.
final class ClusterRig: @unchecked Sendable {
    struct Node {
        var process: ChildProcess
        var port: Int
        var url: String
        var signURL: String { "ws://127.0.0.1:\(port)/sign" }
    }

    let redisURL: String
    let circle = PrivateKey().publicKey.hex
    let directory: String
    let secretFile: String
    private(set) var nodes: [Node] = []
    private(set) var workers: [ChildProcess] = []

    /// Arguments every node and worker gets besides the rig's own (grants, `--redis-wait-replicas`).
    let common: [String]

    init(redisURL: String, common: [String] = []) throws {
        self.redisURL = redisURL
        self.common = common
        directory = try TemporaryDirectory.make(prefix: "circles-cluster")
        secretFile = try TestTaskSecret.file()
    }

    deinit {
        for node in nodes { node.process.kill(SIGKILL) }
        for worker in workers { worker.kill(SIGKILL) }
    }

    /// Starts a node without workers of its own; returns its index.
    @discardableResult
    func startNode(_ extra: [String] = []) async throws -> Int {
        let started = try CirclesBinary.start(["serve", "--port", "0", "--circle", circle, "--redis-url", redisURL, "--no-workers", "--no-auth",
                                               "--task-secret-file", secretFile, "--play-timeout", "20", "--max-in-flight", "64",
                                               "--data-dir", directory + "/data-node-\(nodes.count)"] + common + extra, in: directory)
        try await Wait.until(timeout: 60, "serve to listen") {
            CirclesBinary.read(started.out).contains("\n") || !started.process.isRunning
        }
        let line = CirclesBinary.read(started.out)
        guard started.process.isRunning, let url = line.split(separator: " ").last.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }),
              let port = url.split(separator: ":").last?.split(separator: "/").first.flatMap({ Int($0) }) else {
            throw FreePort.Failure(description: "serve did not start: \(CirclesBinary.read(started.err).suffix(500))")
        }
        nodes.append(Node(process: started.process, port: port, url: url))
        return nodes.count - 1
    }

    /// Starts a worker process for the circle (2 slots, leases of a dead worker re-queued after 2 s).
    @discardableResult
    func startWorker(_ extra: [String] = ["--circle-public-key"]) throws -> Int {
        var arguments = ["worker", "--redis-url", redisURL, "--task-secret-file", secretFile, "--concurrency", "2",
                         "--visibility-timeout", "2", "--data-dir", directory + "/data-worker-\(workers.count)"]
        arguments += (extra == ["--circle-public-key"] ? ["--circle-public-key", circle] : extra) + common
        workers.append(try CirclesBinary.start(arguments, in: directory).process)
        return workers.count - 1
    }

    func killNode(_ index: Int) async { _ = await nodes[index].process.stop(SIGKILL) }

    func killWorker(_ index: Int) async { _ = await workers[index].stop(SIGKILL) }

    /// `POST /api/sign` on node `index` (loopback: no token); the status and the JSON body.
    func sign(on index: Int, key: SignerKey, message: [UInt8]) async throws -> (status: Int, json: JSON?) {
        let body = JSON.object(["public_key": .string(key.description), "message": .string(Base64.encode(message))]).serialized
        // Polled while a dead node's registration lingers (each request waits out the signer's timeout): 10 s.
        let socket = try BlockingSocket(port: nodes[index].port, timeout: 10)
        socket.send("POST /api/sign HTTP/1.1\r\nHost: 127.0.0.1:\(nodes[index].port)\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
        let reply = String(decoding: await socket.readToEnd(), as: UTF8.self)
        let status = Int(reply.dropFirst(9).prefix(3)) ?? 0
        let json = reply.range(of: "\r\n\r\n").flatMap { try? JSONParser.parse(String(reply[$0.upperBound...])) }
        return (status, json)
    }
}
