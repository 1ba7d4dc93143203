import CirclesCore
import CirclesTestSupport
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// Circle state through a real node in embedded mode (real sockets, real SQLite): no lost update under
/// concurrent sessions, one turn per circle without starving another circle, leases renewed while a
/// play runs, and a write that survives SIGKILL of `circles serve` right after its answer.
@Suite struct CircleStateNodeTests {
    static let counter = #"let v = 0; try { v = load_data("counter"); } catch { } save_data("counter", v + 1); v + 1"#

    /// 8 authenticated sessions, `inFlight` read-modify-write plays in flight each: every play answered
    /// with success and a distinct count, and the counter at exactly the number of plays.
    static func lostUpdateProbe(url: String, sessions: Int = 8, inFlight: Int = 16) async throws -> (outputs: [String], errors: [String]) {
        try await withThrowingTaskGroup(of: ([String], [String]).self) { group in
            for _ in 0..<sessions {
                group.addTask {
                    let (connection, events) = try await WebSocketClient.connect(to: url)
                    let peer = RPCPeer(connection: connection, events: events)
                    _ = try await peer.authenticate(with: PrivateKey())
                    for _ in 0..<inFlight { peer.send("play", ["script": .string(counter)]) }
                    var outputs: [String] = []
                    var errors: [String] = []
                    for _ in 0..<inFlight {
                        let reply = try await peer.next(timeout: 120)
                        if let output = reply["result"]?["output"]?.stringValue { outputs.append(output) } else { errors.append("\(reply)") }
                    }
                    connection.close()
                    return (outputs, errors)
                }
            }
            var all: ([String], [String]) = ([], [])
            for try await (outputs, errors) in group {
                all.0 += outputs
                all.1 += errors
            }
            return all
        }
    }

    @Test(.timeLimit(.minutes(3))) func concurrentReadModifyWritePlaysLoseNoUpdate() async throws {
        // Each session's caller has 16 plays in flight: over the default per-caller share of 4.
        let rig = try NodeRig {
            $0.authRequired = true
            $0.maxInFlightPerCaller = 16
        }
        let (outputs, errors) = try await Self.lostUpdateProbe(url: rig.url)
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        #expect(Set(outputs) == Set((1...128).map(String.init)), "each play saw every earlier one")
        let peer = try await rig.connect()
        _ = try await peer.authenticate(with: PrivateKey())
        #expect(try await peer.call("play", ["script": #"load_data("counter")"#])["result"]?["output"]?.stringValue == "128")
        // Counted once each worker has recorded it (just after the answer went out).
        try await Wait.until(timeout: 20, "the commits counted") {
            let metrics = (try? await rig.get("/metrics").body) ?? ""
            return metrics.contains(#"circles_state_tasks_total{outcome="committed"} 129"#) && metrics.contains("circles_turn_wait_seconds_count 129")
        }
        try await rig.stop()
    }

    @Test(.timeLimit(.minutes(3))) func anIdleCirclesPlayStartsPromptlyWhileAnotherIsFlooded() async throws {
        let (busy, idle) = (PrivateKey().publicKey.hex, PrivateKey().publicKey.hex)
        let rig = try NodeRig {
            $0.circles = [NodeOptions.Circle(publicKey: busy), NodeOptions.Circle(publicKey: idle)]
            $0.workerConcurrency = 2
            $0.maxInFlightPerSession = 64
            $0.playTimeout = 120
        }
        let flood = try await rig.connect(path: busy)
        let plays = 32
        for _ in 0..<plays { flood.send("play", ["script": "let x = 0; for i in 0..300000 { x += i } x"]) }
        let first = try await flood.next(timeout: 60)
        #expect(first["result"] != nil, "\(first)")
        let other = try await rig.connect(path: idle)
        let started = Wait.now()
        let answer = try await other.call("play", ["script": "\"prompt\""])
        let took = Wait.now() - started
        #expect(answer["result"]?["output"]?.stringValue == "prompt")
        // The flooded circle holds one worker (one turn at a time); the other is free for the idle circle.
        let queued = await rig.node.runtime.queue.depth(of: busy)
        #expect(queued > 0, "the flood was still queued when the idle circle's play was answered (\(took) s)")
        for _ in 1..<plays { _ = try await flood.next(timeout: 120) }
        try await rig.stop()
    }

    @Test(.timeLimit(.minutes(2))) func aPlayRunningLongerThanItsLeaseIsNotDeliveredAgain() async throws {
        var options = EmbeddedTaskQueue.Options()
        // Renewed every third of it: 1.5 s leaves a loaded machine's renewal thread a second to be late.
        options.visibilityTimeout = 1.5
        let queue = EmbeddedTaskQueue(options: options)
        let maintenance = Task { await queue.maintain(every: 0.05) }
        let base = try TemporaryDirectory.make(prefix: "circles-lease")
        let circle = PrivateKey().publicKey.hex
        let runner = ScriptRunner(dataDirectory: base, policies: { _ in .patient })
        let worker = TaskWorker(id: "w", source: queue, runner: runner, concurrency: 2)
        let working = Task { await worker.run() }
        let held = try HeldScript(dataDirectory: base, circle: circle)
        let task = ScriptTask(circle: circle, caller: circle, script: #"save_data("n", 1); "# + HeldScript.source, createdAt: 0)
        let answer = Task { try await queue.submit(task, timeout: 60) }
        try await Wait.until(timeout: 20, "the play to run") { held.hasStarted }
        // Three visibility timeouts while the script runs; the reaper looks every 50 ms.
        let until = Wait.now() + 4.5
        try await Wait.until(timeout: 20, "three visibility timeouts to pass") { Wait.now() >= until }
        #expect(queue.record(of: task.id)?.deliveries == 1)
        #expect(queue.record(of: task.id)?.status == .processing)
        #expect(held.release())
        #expect(try await answer.value.outcome == .success(HeldScript.output))
        try await Wait.until(timeout: 20, "the result recorded") { worker.completed.succeeded == 1 }
        #expect(worker.refused == 0 && queue.record(of: task.id)?.deliveries == 1)
        worker.stop()
        queue.close()
        await working.value
        maintenance.cancel()
    }

    @Test(.enabled(if: CirclesBinary.isBuilt), .timeLimit(.minutes(2)))
    func dataLimitsComeFromTheCommandLine() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-limits")
        let circle = PrivateKey().publicKey.hex
        let node = try await Self.serve(circle, directory, ["--max-value-bytes", "10", "--max-data-paths", "1"])
        let (connection, events) = try await WebSocketClient.connect(to: node.url)
        let peer = RPCPeer(connection: connection, events: events)
        #expect(try await peer.call("play", ["script": #"save_data("a", "12345678"); 1"#])["result"]?["output"]?.stringValue == "1")
        let tooBig = try await peer.call("play", ["script": #"save_data("a", "123456789")"#])
        #expect(tooBig["error"]?["data"]?["kind"]?.stringValue == "limit", "\(tooBig)")
        let tooMany = try await peer.call("play", ["script": #"save_data("b", 1)"#])
        #expect(tooMany["error"]?["data"]?["kind"]?.stringValue == "limit", "\(tooMany)")
        #expect(try await peer.call("play", ["script": "list_data()"])["result"]?["output"]?.stringValue == #"["a"]"#)
        #expect(ChildProcess.exitCode(of: await node.process.stop(SIGTERM)) == 0)
    }

    /// `circles serve` for `circle` with its data under `directory`, once it listens.
    static func serve(_ circle: String, _ directory: String, _ extra: [String] = []) async throws -> (process: ChildProcess, url: String) {
        var attempt = 0
        while true {
            attempt += 1
            let port = try FreePort.next()
            let started = try CirclesBinary.start(["serve", "--circle", circle, "--port", String(port), "--data-dir", directory + "/data",
                                                   "--no-auth", "--grant", "*=all"] + extra,
                                                  in: directory)
            // It prints where it listens once its port is bound (another process may hold a port found free).
            try await Wait.until(timeout: 30, "the node to listen") {
                CirclesBinary.read(started.out).contains(" at ws://") || !started.process.isRunning
            }
            if started.process.isRunning { return (started.process, "ws://127.0.0.1:\(port)/\(circle)") }
            guard attempt < 5 else { throw FreePort.Failure(description: CirclesBinary.read(started.err)) }
        }
    }

    @Test(.enabled(if: CirclesBinary.isBuilt), .timeLimit(.minutes(2)))
    func anAnsweredWriteSurvivesSigkillOfTheNode() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-durable")
        let circle = PrivateKey().publicKey.hex
        func serve() async throws -> (process: ChildProcess, url: String) { try await Self.serve(circle, directory) }
        let first = try await serve()
        let (connection, events) = try await WebSocketClient.connect(to: first.url)
        let peer = RPCPeer(connection: connection, events: events)
        let saved = try await peer.call("play", ["script": #"save_data("order", #{id: 7, paid: true}); "saved""#])
        #expect(saved["result"]?["output"]?.stringValue == "saved", "\(saved)")
        await first.process.stop(SIGKILL)
        let second = try await serve()
        let (again, moreEvents) = try await WebSocketClient.connect(to: second.url)
        let reader = RPCPeer(connection: again, events: moreEvents)
        let loaded = try await reader.call("play", ["script": #"let o = load_data("order"); `${o.id} ${o.paid}`"#])
        #expect(loaded["result"]?["output"]?.stringValue == "7 true", "\(loaded)")
        #expect(ChildProcess.exitCode(of: await second.process.stop(SIGTERM)) == 0)
    }
}
