#if canImport(Glibc)
import Glibc
#endif
import CirclesCore
import Foundation
import Synchronization
import TestSupport
import Testing

/// Issue 14, against a real `circles serve` process: its memory (VmRSS from /proc) and its answers
/// to other clients while one client abuses it.
@Suite(.serialized) struct NodeProcessBoundsTests {
    struct Node {
        let process: ChildProcess
        let port: Int
        let directory: String

        /// The process's resident memory in bytes.
        var rss: Int { Self.status(process.pid, "VmRSS") * 1024 }
        var openFiles: Int { descriptors.count }
        var descriptors: [String] {
            let directory = "/proc/\(process.pid)/fd"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return names.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + $0) }
        }

        static func status(_ pid: pid_t, _ field: String) -> Int {
            let text = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            let line = text.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }

        func get(_ path: String, timeout: Double = 10) async throws -> String {
            let socket = try BlockingSocket(port: port, timeout: timeout)
            socket.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
            return String(decoding: await socket.readToEnd(), as: UTF8.self)
        }
    }

    /// Starts `circles serve` on a free port (again on another when it was taken meanwhile).
    static func serve(_ extra: [String] = []) async throws -> Node {
        let directory = try TemporaryDirectory.make(prefix: "circles-bounds")
        let circle = PrivateKey().publicKey.hex
        for _ in 0..<5 {
            let port = try FreePort.next()
            let started = try CirclesBinary.start(["serve", "--circle", circle, "--port", String(port), "--data-dir", directory + "/data"] + extra,
                                                  in: directory)
            try await Wait.until(timeout: 30, "the node to listen") {
                CirclesBinary.read(started.out).contains("circle ") || !started.process.isRunning
            }
            if started.process.isRunning { return Node(process: started.process, port: port, directory: directory) }
        }
        throw FreePort.Failure(description: "circles serve did not start")
    }

    @Test(.enabled(if: CirclesBinary.isBuilt), .timeLimit(.minutes(2)))
    func theOpenFileLimitIsRaisedToTheHardLimitAtStart() async throws {
        let node = try await Self.serve()
        let limits = (try? String(contentsOfFile: "/proc/\(node.process.pid)/limits", encoding: .utf8)) ?? ""
        let line = limits.split(separator: "\n").first { $0.hasPrefix("Max open files") } ?? ""
        let numbers = line.split(separator: " ").compactMap { Int($0) }
        #expect(numbers.count == 2 && numbers[0] == numbers[1], "\(line)")
        #expect(await node.process.stop() == 0)
    }

    @Test(.enabled(if: CirclesBinary.isBuilt), .timeLimit(.minutes(3)))
    func aPipelinedMetricsFloodNeitherGrowsTheNodeNorStarvesOtherClients() async throws {
        let node = try await Self.serve()
        _ = try await node.get("/metrics")
        let before = node.rss
        let attacker = try BlockingSocket(port: node.port)
        let request = Array("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:\(node.port)\r\n\r\n".utf8)
        let total = 48 << 20
        let flood = Task { await attacker.flood(unit: request, total: total, stall: 3) }
        // While the flood is under way other clients are answered promptly.
        for _ in 0..<3 {
            let started = Date()
            #expect(try await node.get("/health").hasPrefix("HTTP/1.1 200"))
            #expect(Date().timeIntervalSince(started) < 5)
        }
        let sent = await flood.value
        let grown = node.rss - before
        #expect(sent < total, "the node read all of a flood whose answers nobody reads")
        #expect(grown < 64 << 20, "the node grew by \(grown >> 20) MiB")
        #expect(try await node.get("/health").hasPrefix("HTTP/1.1 200"))
        attacker.hangUp()
        #expect(await node.process.stop() == 0)
    }

    @Test(.enabled(if: CirclesBinary.isBuilt), .timeLimit(.minutes(2)))
    func aListenerOutOfFileDescriptorsAcceptsAgainOnceSomeAreFree() async throws {
        let node = try await Self.serve()
        // Up and idle: it answered a request, and its descriptors (some inherited from this test
        // process) have not changed for half a second.
        _ = try await node.get("/health")
        let settled = Mutex<(count: Int, since: Date)>((-1, Date()))
        try await Wait.until(timeout: 20, "the node's descriptors to settle") {
            let count = node.openFiles
            return settled.withLock { state in
                if state.count != count { state = (count, Date()) }
                return Date().timeIntervalSince(state.since) > 0.5
            }
        }
        // Room for two more descriptors only.
        let open = node.openFiles
        let limited = try await onDedicatedThread {
            try ChildProcess("/usr/bin/prlimit", ["--pid", String(node.process.pid), "--nofile=\(open + 2):\(open + 2)"]).wait()
        }
        #expect(limited == 0)
        // Connections take the free descriptors; the first the node cannot accept (EMFILE) waits
        // in the kernel's backlog, completed on the client's side.
        var holders: [BlockingSocket] = []
        var stuck: BlockingSocket?
        for _ in 0..<8 {
            let before = node.openFiles
            let socket = try BlockingSocket(port: node.port, timeout: 20)
            let accepted = (try? await Wait.until(timeout: 2, "the connection to be accepted") { node.openFiles > before }) != nil
            if !accepted {
                stuck = socket
                break
            }
            holders.append(socket)
        }
        let waiting = try #require(stuck, "the node accepted connections past its descriptor limit")
        waiting.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1:\(node.port)\r\nConnection: close\r\n\r\n")
        // Freeing descriptors brings no new connection: the listener must try again by itself.
        for holder in holders { holder.hangUp() }
        let answer = String(decoding: await waiting.readToEnd(), as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 200"), "a connection waiting in the backlog was never accepted")
        let metrics = try await node.get("/metrics")
        let errors = metrics.split(separator: "\n").first { $0.hasPrefix("circles_accept_errors_total{cause=\"fd_limit\"}") }
        #expect(Int(errors?.split(separator: " ").last ?? "") ?? 0 >= 1, "\(errors ?? "no accept error counted")")
        #expect(await node.process.stop() == 0)
    }
}
