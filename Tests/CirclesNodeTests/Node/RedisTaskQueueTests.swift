#if canImport(Glibc)
import CirclesTestSupport
import Glibc
#endif
import CirclesCore
import Synchronization
import TestSupport
import Testing
import Transport
@testable import CirclesNode

@Suite(.serialized) struct RedisTaskQueueTests {
    func options(visibility: Double = 10, maxDeliveries: Int = 3, blockSeconds: Double = 0.2) -> RedisTaskSource.Options {
        var options = RedisTaskSource.Options()
        options.visibilityTimeout = visibility
        options.maxDeliveries = maxDeliveries
        options.blockSeconds = blockSeconds
        options.secret = TestTaskSecret.secret
        return options
    }

    /// A real redis-server, a client for it and a started gateway.
    func makeGateway() async throws -> (RedisServer, RedisClient, RedisTaskQueue) {
        let server = try await onDedicatedThread { try RedisServer() }
        let client = try RedisClient(server.url)
        let gateway = RedisTaskQueue(client: client, secret: TestTaskSecret.secret)
        gateway.start()
        return (server, client, gateway)
    }

    func stop(_ gateway: RedisTaskQueue, _ server: RedisServer) {
        gateway.stop()
        server.stop()
    }

    func task(_ script: String = "1 + 1", circle: String = "02aa") -> ScriptTask {
        ScriptTask(circle: circle, caller: "03bb", script: script, constants: ["X": 1], createdAt: 0, timeout: 5)
    }

    @Test func aTaskGoesThroughRedisWithTheDocumentedKeysAndStatuses() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        let source = RedisTaskSource(client: client, options: options())
        let submitted = task()
        async let answer = gateway.submit(submitted, timeout: 60)
        let taken = try await onDedicatedThread { try source.take(circles: [submitted.circle], worker: "w1") }
        #expect(taken?.script == submitted.script)
        #expect(taken?.caller == "03bb")
        #expect(taken?.constants == ["X": 1])
        #expect(try await client.send(["HGET", "rhailib:\(submitted.id)", "status"]).string == "processing")
        #expect(try await client.send(["LRANGE", "rhailib:processing:w1", "0", "-1"]).array?.compactMap(\.string) == [submitted.id])
        let result = TaskResult(taskId: submitted.id, outcome: .success("2"), logs: ["hello"])
        #expect(try await onDedicatedThread { try source.complete(result, worker: "w1") })
        #expect(try await answer == result)
        #expect(try await client.send(["HGET", "rhailib:\(submitted.id)", "status"]).string == "completed")
        #expect(try await client.send(["HGET", "rhailib:\(submitted.id)", "output"]).string == "2")
        #expect(try await client.send(["TTL", "rhailib:\(submitted.id)"]).integer ?? 0 > 3500)
        #expect(try await client.send(["LLEN", "rhailib:processing:w1"]).integer == 0)
        #expect(try await client.send(["SISMEMBER", "rhailib:circles", submitted.circle]).integer == 1)
        // Completing twice is refused. The result went to this gateway's own reply list, which it
        // consumed, not to the task's reply list (that one is for gateways that name no `reply_to`).
        #expect(try await !onDedicatedThread { try source.complete(TaskResult(taskId: submitted.id, outcome: .success("again")), worker: "w1") })
        #expect(try await client.send(["EXISTS", "rhailib:reply:\(submitted.id)"]).integer == 0)
        #expect(try await client.send(["HGET", "rhailib:\(submitted.id)", "reply_to"]).string == gateway.replyList(0))
        #expect(try await client.send(["LLEN", gateway.replyList(0)]).integer == 0)
    }

    @Test func aTaskGivenBackIsTakenNextAndItsDeliveryDoesNotCount() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        let source = RedisTaskSource(client: client, options: options(maxDeliveries: 1))
        let (first, second) = (task("\"first\""), task("\"second\""))
        async let firstAnswer = gateway.submit(first, timeout: 60)
        try await Wait.until(timeout: 10, "the first queued") { await gateway.depth(of: first.circle) == 1 }
        async let secondAnswer = gateway.submit(second, timeout: 60)
        try await Wait.until(timeout: 10, "both queued") { await gateway.depth(of: first.circle) == 2 }
        let taken = try await onDedicatedThread { try source.take(circles: [first.circle], worker: "stopping") }
        #expect(taken?.id == first.id)
        try await onDedicatedThread { try source.giveBack(taken!, worker: "other") }  // not its lease: ignored
        #expect(try await client.send(["HGET", "rhailib:\(first.id)", "status"]).string == "processing")
        try await onDedicatedThread { try source.giveBack(taken!, worker: "stopping") }
        #expect(try await client.send(["HMGET", "rhailib:\(first.id)", "status", "deliveries"]).array?.compactMap(\.string) == ["pending", "0"])
        #expect(try await client.send(["LLEN", "rhailib:processing:stopping"]).integer == 0)
        // Back at the head, and with one delivery allowed it still runs (the stopped one did not count).
        let run = try WorkerRun(client: client, options: options(maxDeliveries: 1), circles: [first.circle], concurrency: 1)
        #expect(try await firstAnswer.outcome == .success("first"))
        #expect(try await secondAnswer.outcome == .success("second"))
        try await run.stop()
    }

    @Test func aTaskTimedOutBeforeAnyWorkerTookItIsWithdrawnAndNeverRuns() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        let stale = task("save_data(\"ran\", true); 1")
        await #expect(throws: QueueError.timedOut(seconds: 0.3)) { try await gateway.submit(stale, timeout: 0.3) }
        try await Wait.until(timeout: 10, "the task withdrawn") {
            (try? await client.send(["HGET", "rhailib:\(stale.id)", "status"]).string) == "error"
        }
        #expect(await gateway.depth(of: stale.circle) == 0)
        let failure = try #require(try await client.send(["HGET", "rhailib:\(stale.id)", "error"]).string)
        #expect(failure.contains("withdrawn") && failure.contains("timeout"))
        // A worker started now runs what comes next, and never the withdrawn script.
        let run = try WorkerRun(client: client, options: options(), circles: [stale.circle], concurrency: 1)
        #expect(try await gateway.submit(task("list_data().len()"), timeout: 30).outcome == .success("0"))
        #expect(try await client.send(["HGET", "rhailib:\(stale.id)", "deliveries"]).string == "0")
        try await run.stop()
    }

    @Test func aTaskQueuedInTheOriginalLayoutIsAnsweredOnItsOwnReplyList() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        // As rhailib's gateway queues it: no `reply_to`, the result expected on rhailib:reply:{id}.
        _ = try await client.pipeline([
            ["HSET", "rhailib:t1", "script", "6 * 7", "caller_id", "03bb", "context_id", "02aa", "status", "pending",
             "created_at", "1", "updated_at", "1"],
            ["LPUSH", "rhailib:02aa", "t1"],
        ])
        let source = RedisTaskSource(client: client, options: options())
        let taken = try #require(try await onDedicatedThread { try source.take(circles: ["02aa"], worker: "w1") })
        #expect(taken.id == "t1" && taken.script == "6 * 7" && taken.caller == "03bb")
        #expect(try await onDedicatedThread { try source.complete(TaskResult(taskId: "t1", outcome: .success("42")), worker: "w1") })
        let reply = try await client.send(["BRPOP", "rhailib:reply:t1", "5"])
        let json = try JSONParser.parse(try #require(reply.array?.last?.string))
        #expect(TaskResult(json: json) == TaskResult(taskId: "t1", outcome: .success("42")))
        #expect(try await client.send(["HGET", "rhailib:t1", "status"]).string == "completed")
    }

    @Test func aDeadWorkersTaskIsReapedAndAnsweredOnceByAnotherWorker() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        let source = RedisTaskSource(client: client, options: options(visibility: 1))
        let submitted = task()
        async let answer = gateway.submit(submitted, timeout: 30)
        // Worker "dead" takes the task, heartbeats once and then is never heard of again.
        try await source.heartbeat(worker: "dead")
        #expect(try await onDedicatedThread { try source.take(circles: [submitted.circle], worker: "dead") } != nil)
        try await Wait.until(timeout: 60, "the reaper to requeue the task") { (try? await source.reap()) == 1 }
        try await source.heartbeat(worker: "alive")
        let again = try await onDedicatedThread { try source.take(circles: [submitted.circle], worker: "alive") }
        #expect(again?.id == submitted.id)
        #expect(try await client.send(["HGET", "rhailib:\(submitted.id)", "deliveries"]).string == "2")
        #expect(try await onDedicatedThread { try source.complete(TaskResult(taskId: submitted.id, outcome: .success("done")), worker: "alive") })
        #expect(try await answer.outcome == .success("done"))
    }

    @Test func aWorkerNeverReapsItsOwnLeasesHoweverLateItsHeartbeat() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        let source = RedisTaskSource(client: client, options: options(visibility: 1))
        let submitted = task()
        async let answer = gateway.submit(submitted, timeout: 30)
        try await source.heartbeat(worker: "late")
        #expect(try await onDedicatedThread { try source.take(circles: [submitted.circle], worker: "late") } != nil)
        // Its heartbeat is older than the visibility timeout: any other worker would reap it now.
        let stale = Wait.now() + 2.5
        try await Wait.until(timeout: 30, "the heartbeat to go stale") { Wait.now() >= stale }
        #expect(try await source.reap(sparing: "late") == 0)
        #expect(try await client.send(["HGET", "rhailib:\(submitted.id)", "status"]).string == "processing")
        #expect(try await source.reap() == 1, "reaped by another")
        try await source.heartbeat(worker: "alive")
        let again = try await onDedicatedThread { try source.take(circles: [submitted.circle], worker: "alive") }
        #expect(try await onDedicatedThread { try source.complete(TaskResult(taskId: submitted.id, outcome: .success("done")), worker: "alive") })
        #expect(again?.id == submitted.id)
        #expect(try await answer.outcome == .success("done"))
    }

    @Test func tooManyDeliveriesGoToTheDeadLetterListAndAnswerTheGateway() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        var small = options(visibility: 1, maxDeliveries: 1)
        small.deadLetterCapacity = 2
        let source = RedisTaskSource(client: client, options: small)
        let submitted = task()
        // Two older dead letters: the list keeps the newest two, so the oldest goes.
        _ = try await client.send(["LPUSH", "rhailib:dead:\(submitted.circle)", "oldest", "older"])
        async let answer = gateway.submit(submitted, timeout: 30)
        try await source.heartbeat(worker: "dead")
        _ = try await onDedicatedThread { try source.take(circles: [submitted.circle], worker: "dead") }
        try await Wait.until(timeout: 60, "the reaper to requeue the task") { (try? await source.reap()) == 1 }
        // The second delivery exceeds the limit: the claim dead-letters it instead of running it.
        let taker = Task { try await onDedicatedThread { try source.take(circles: [submitted.circle], worker: "other") } }
        let result = try await answer
        guard case .failure(let failure) = result.outcome else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.message.contains("dead-letter"))
        #expect(try await client.send(["LRANGE", "rhailib:dead:\(submitted.circle)", "0", "-1"]).array?.compactMap(\.string) == [submitted.id, "older"])
        source.close()
        #expect(try await taker.value == nil)
    }

    @Test func submitFailsFastWhileRedisIsDownAndWorksAgainAfter() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        server.kill()
        let started = Wait.now()
        for _ in 0..<5 {
            await #expect(throws: QueueError.self) { try await gateway.submit(task(), timeout: 30) }
        }
        #expect(Wait.now() - started < 15, "fast: well inside one submit's 30 s timeout")
        try await onDedicatedThread { try server.start() }
        let source = RedisTaskSource(client: client, options: options())
        try await Wait.until(timeout: 60, "Redis to be reachable again") { (try? await client.send(["PING"])) != nil }
        let submitted = task()
        async let answer = gateway.submit(submitted, timeout: 30)
        let taken = try await onDedicatedThread { try source.take(circles: [submitted.circle], worker: "w") }
        #expect(taken?.id == submitted.id)
        _ = try await onDedicatedThread { try source.complete(TaskResult(taskId: submitted.id, outcome: .success("back")), worker: "w") }
        #expect(try await answer.outcome == .success("back"))
    }

    @Test func aWorkerOverRedisRunsScriptsEndToEnd() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        try await playThroughAWorker(client: client, gateway: gateway, plays: 20, timeout: 30)
    }

    /// Runs `plays` scripts through `gateway` and a two-slot worker of circle 02aa over `client`, checks
    /// each answer, then stops the worker.
    func playThroughAWorker(client: RedisClient, gateway: RedisTaskQueue, plays: Int, timeout: Double) async throws {
        let run = try WorkerRun(client: client, options: options(), id: "w1", circles: ["02aa"], concurrency: 2)
        run.source.start(worker: "w1")
        for index in 0..<plays {
            let result = try await gateway.submit(task("\(index) * 3 + X"), timeout: timeout)
            #expect(result.outcome == .success("\(index * 3 + 1)"))
        }
        try await run.stop()
    }

    @Test func takingAndLeasingSurviveAnEmptyScriptCache() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        let source = RedisTaskSource(client: client, options: options())
        for round in 0..<3 {
            // As after a Redis restart: EVALSHA finds nothing, and both the claim pipelined behind
            // BLMOVE and the completion fall back to EVAL.
            _ = try await client.send(["SCRIPT", "FLUSH"])
            let submitted = task("\(round)")
            async let answer = gateway.submit(submitted, timeout: 30)
            let taken = try await onDedicatedThread { try source.take(circles: [submitted.circle], worker: "w") }
            #expect(taken?.id == submitted.id)
            _ = try await client.send(["SCRIPT", "FLUSH"])
            #expect(try await onDedicatedThread { try source.complete(TaskResult(taskId: submitted.id, outcome: .success("ok \(round)")), worker: "w") })
            #expect(try await answer.outcome == .success("ok \(round)"))
        }
        #expect(try await client.send(["EXISTS", "rhailib:taken:w"]).integer == 0)
    }

    @Test func aWorkerForSeveralCirclesTakesFromEachQueue() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        let source = RedisTaskSource(client: client, options: options())
        let circles = ["02aa", "02bb", "02cc"]
        // Queued before the worker looks, then one at a time while it blocks on the first queue.
        let early = circles.map { task("1", circle: $0) }
        let answers = early.map { submitted in Task { try await gateway.submit(submitted, timeout: 30) } }
        try await Wait.until(timeout: 10, "three queued tasks") {
            var total = 0
            for circle in circles { total += Int((try? await client.send(["LLEN", "rhailib:\(circle)"]).integer) ?? 0) }
            return total == 3
        }
        var seen = Set<String>()
        for _ in early {
            let taken = try #require(try await onDedicatedThread { try source.take(circles: Set(circles), worker: "w") })
            seen.insert(taken.circle)
            _ = try await onDedicatedThread { try source.complete(TaskResult(taskId: taken.id, outcome: .success(taken.circle)), worker: "w") }
        }
        #expect(seen == Set(circles))
        for (index, answer) in answers.enumerated() { #expect(try await answer.value.outcome == .success(circles[index])) }
        for circle in circles.reversed() {
            let submitted = task("2", circle: circle)
            async let answer = gateway.submit(submitted, timeout: 30)
            let taken = try #require(try await onDedicatedThread { try source.take(circles: nil, worker: "w") })
            #expect(taken.id == submitted.id)
            _ = try await onDedicatedThread { try source.complete(TaskResult(taskId: taken.id, outcome: .success("late")), worker: "w") }
            #expect(try await answer.outcome == .success("late"))
        }
    }

    /// Plays one script per circle, in a shuffled order, `rounds` times; each must be answered within 20 s.
    func playEach(of circles: [String], rounds: Int, through gateway: RedisTaskQueue) async throws {
        var generator = SeededGenerator()
        for round in 0..<rounds {
            for circle in circles.shuffled(using: &generator) {
                let result = try await gateway.submit(task("\"\(circle) \(round)\"", circle: circle), timeout: 20)
                #expect(result.outcome == .success("\(circle) \(round)"), "\(generator)")
            }
        }
    }

    @Test func slotsOfAWorkerForSeveralCirclesWaitOnEveryQueue() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        // Blocks last a minute: a task on a queue no slot waits on would be answered only after that,
        // far past the plays' 20 s timeout.
        let circles = ["02aa", "02bb", "02cc"]
        let run = try WorkerRun(client: client, options: options(blockSeconds: 60), circles: Set(circles), concurrency: 3)
        try await Wait.until(timeout: 20, "three slots blocked") { await WorkerRun.blockedClients(client).count == 3 }
        try await playEach(of: circles, rounds: 2, through: gateway)
        try await run.stop()
    }

    @Test func whenASlotTakesATaskTheOthersStopLongBlocksSoNoQueueIsLeftUnwatched() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        // Three slots in minute-long blocks, one per queue. One slot takes a script that runs until the
        // test lets it end; a quick play to the same circle must then be looked at by one of the other
        // two (woken from their long blocks) well within a long block: it is parked behind the running
        // one (one turn per circle), and runs as soon as that one ends.
        let circles = ["02aa", "02bb", "02cc"]
        let run = try WorkerRun(client: client, options: options(blockSeconds: 60), circles: Set(circles), concurrency: 3, policy: .patient)
        // All three registered for a long block and all three blocked in Redis: in their long BLMOVEs.
        try await Wait.until(timeout: 20, "three slots in long blocks") {
            let blocked = await WorkerRun.blockedClients(client).count
            return run.source.longBlocks == 3 && blocked == 3
        }
        let held = try HeldScript(dataDirectory: run.dataDirectory, circle: "02cc")
        var waitsForTheTest = task(HeldScript.source, circle: "02cc")
        waitsForTheTest.timeout = 100
        let long = waitsForTheTest
        let slow = Task { try await gateway.submit(long, timeout: 120) }
        try await Wait.until(timeout: 20, "the long script running") { held.hasStarted }
        let quickTask = task("\"quick\"", circle: "02cc")
        let quick = Task { try await gateway.submit(quickTask, timeout: 60) }
        try await Wait.until(timeout: 20, "the quick play parked behind the running one") {
            (try? await client.send(["LRANGE", "rhailib:parked:02cc", "0", "-1"]))?.array?.compactMap(\.string) == [quickTask.id]
        }
        #expect(try await client.send(["HGET", "rhailib:\(quickTask.id)", "status"]).string == "pending")
        // Now let the long script end: the quick one follows.
        #expect(held.release())
        #expect(try await slow.value.outcome == .success(HeldScript.output))
        #expect(try await quick.value.outcome == .success("quick"))
        try await run.stop()
    }

    @Test func aSlotWhoseConnectionDropsTakesAgainOnANewOne() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        let run = try WorkerRun(client: client, options: options(), circles: ["02aa", "02bb"], concurrency: 2, policy: .patient)
        try await Wait.until(timeout: 20, "both slots blocked in Redis") { await WorkerRun.blockedClients(client).count == 2 }
        let victim = try #require(await WorkerRun.blockedClients(client).first)
        _ = try await client.send(["CLIENT", "KILL", "ID", String(victim)])
        // Two scripts that run until released: both start only if both slots are alive.
        let held = try ["02aa", "02bb"].map { try HeldScript(dataDirectory: run.dataDirectory, circle: $0) }
        let answers = ["02aa", "02bb"].map { circle in
            let submitted = task(HeldScript.source, circle: circle)
            return Task { try await gateway.submit(submitted, timeout: 60) }
        }
        try await Wait.until(timeout: 20, "both scripts running") { held.allSatisfy(\.hasStarted) }
        for script in held { #expect(script.release()) }
        for answer in answers { #expect(try await answer.value.outcome == .success(HeldScript.output)) }
        try await run.stop()
    }

    @Test func aResultIsRecordedEvenIfTheConnectionsDropWhileItsScriptRuns() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        let run = try WorkerRun(client: client, options: options(), circles: ["02aa"], concurrency: 1, policy: .patient)
        let held = try HeldScript(dataDirectory: run.dataDirectory, circle: "02aa")
        let submitted = task(HeldScript.source, circle: "02aa")
        let answer = Task { try await gateway.submit(submitted, timeout: 60) }
        try await Wait.until(timeout: 20, "the script running") { held.hasStarted }
        // Every connection but this one: the worker's (idle while its script runs) and the gateway's.
        _ = try await client.send(["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"])
        #expect(held.release())
        #expect(try await answer.value.outcome == .success(HeldScript.output))
        #expect(try await client.send(["LLEN", "rhailib:processing:w"]).integer == 0, "the lease ended")
        try await run.stop()
    }

    @Test func shortBlocksStretchSoThatManyQueuesAreNotLookedAtTooOften() {
        let defaults = RedisTaskSource.Options()
        func seconds(_ takers: Int, _ queues: Int) -> Double { RedisTaskSource.blockSeconds(takers: takers, queues: queues, options: defaults) }
        #expect(seconds(1, 1) == defaults.blockSeconds)
        #expect(seconds(3, 3) == defaults.blockSeconds)
        #expect(seconds(1, 3) == defaults.sharedBlockSeconds)
        #expect(seconds(4, 100) == 0.2)       // 4 slots × 100 queues / 0.2 s = 2,000 looks a second
        #expect(seconds(4, 1_000) == defaults.blockSeconds)
    }

    @Test func aWorkerWithFewerSlotsThanCirclesStillSeesEveryQueueSoon() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        // One slot for three queues: it blocks on one at a time, for sharedBlockSeconds, and the claim
        // behind each BLMOVE looks at the other two. With a minute's blockSeconds instead, a play to
        // another queue would outlast its 20 s timeout.
        let circles = ["02aa", "02bb", "02cc"]
        let run = try WorkerRun(client: client, options: options(blockSeconds: 60), circles: Set(circles), concurrency: 1)
        try await playEach(of: circles, rounds: 3, through: gateway)
        try await run.stop()
    }

    @Test func anIdTakenButNeverLeasedIsNotLost() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer { stop(gateway, server) }
        let source = RedisTaskSource(client: client, options: options(visibility: 1))
        // A live worker whose claim was lost after its BLMOVE (the connection dropped between the two):
        // its next take leases the id it left in its `taken` list.
        let first = task("1")
        async let firstAnswer = gateway.submit(first, timeout: 30)
        try await Wait.until(timeout: 10, "the task to be queued") {
            (try? await client.send(["LLEN", "rhailib:\(first.circle)"]).integer) == 1
        }
        _ = try await client.send(["LMOVE", "rhailib:\(first.circle)", "rhailib:taken:live", "RIGHT", "LEFT"])
        let again = try await onDedicatedThread { try source.take(circles: [first.circle], worker: "live") }
        #expect(again?.id == first.id)
        _ = try await onDedicatedThread { try source.complete(TaskResult(taskId: first.id, outcome: .success("leased")), worker: "live") }
        #expect(try await firstAnswer.outcome == .success("leased"))
        // A worker that died in that gap: the reaper puts the id back in its queue.
        let second = task("2")
        async let secondAnswer = gateway.submit(second, timeout: 30)
        try await Wait.until(timeout: 10, "the task to be queued") {
            (try? await client.send(["LLEN", "rhailib:\(second.circle)"]).integer) == 1
        }
        try await source.heartbeat(worker: "gone")
        _ = try await client.send(["LMOVE", "rhailib:\(second.circle)", "rhailib:taken:gone", "RIGHT", "LEFT"])
        try await Wait.until(timeout: 60, "the reaper to requeue the task") { (try? await source.reap()) == 1 }
        let taken = try await onDedicatedThread { try source.take(circles: [second.circle], worker: "live") }
        #expect(taken?.id == second.id)
        _ = try await onDedicatedThread { try source.complete(TaskResult(taskId: second.id, outcome: .success("reaped")), worker: "live") }
        #expect(try await secondAnswer.outcome == .success("reaped"))
    }

    @Test func aWorkerOverRedissRunsScriptsEndToEnd() async throws {
        // rediss:// workers wait on loop connections (a blocking socket speaks plain redis:// only).
        let certificate = try await TestCertificate.make()
        let server = try await onDedicatedThread { try RedisServer(password: "pw", certificate: certificate) }
        defer { server.stop() }
        let trust = try TLSClientContext(trust: .certificateAuthorityFile(certificate.caPath))
        let client = RedisClient(url: try RedisURL("rediss://:pw@127.0.0.1:\(server.port)"), connections: 2, connectTimeout: 10, tls: trust)
        defer { client.close() }
        let gateway = RedisTaskQueue(client: client, secret: TestTaskSecret.secret)
        gateway.start()
        defer { gateway.stop() }
        try await playThroughAWorker(client: client, gateway: gateway, plays: 10, timeout: 60)
    }
}

/// A `TaskWorker` over Redis running in a task: its source, and whether `run()` has returned.
final class WorkerRun: Sendable {
    let source: RedisTaskSource
    let worker: TaskWorker
    let client: RedisClient
    let dataDirectory: String
    let finished = Atomic<Bool>(false)
    private let running = Mutex<Task<Void, Never>?>(nil)

    convenience init(client: RedisClient, options: RedisTaskSource.Options, id: String = "w", circles: Set<String>, concurrency: Int,
                     policy: CirclePolicy = .open, servesOnly: Bool = false) throws {
        self.init(source: RedisTaskSource(client: client, options: options), client: client,
                  dataDirectory: try TemporaryDirectory.make(prefix: "circles-redis-worker"), id: id, circles: circles,
                  concurrency: concurrency, policy: policy, servesOnly: servesOnly)
    }

    init(source: RedisTaskSource, client: RedisClient, dataDirectory: String, id: String = "w", circles: Set<String>,
         concurrency: Int = 1, policy: CirclePolicy = .open, servesOnly: Bool = false) {
        self.client = client
        self.source = source
        self.dataDirectory = dataDirectory
        let runner = ScriptRunner(dataDirectory: dataDirectory, circles: servesOnly ? circles : nil, policies: { _ in policy })
        worker = TaskWorker(id: id, source: source, runner: runner, circles: circles, concurrency: concurrency)
        let task = Task { [self] in
            defer { finished.store(true, ordering: .relaxed) }
            await worker.run()
        }
        running.withLock { $0 = task }
    }

    /// Stops taking tasks and waits for the slots to finish, waking their BLMOVEs (also one that
    /// blocks late) rather than waiting out a long block.
    func stop() async throws {
        worker.stop()
        source.close()
        try await Wait.until(timeout: 30, "the worker's slots stopped") {
            for id in await Self.blockedClients(client) { _ = try? await client.send(["CLIENT", "UNBLOCK", String(id)]) }
            return finished.load(ordering: .relaxed)
        }
        await running.withLock { $0 }?.value
    }

    /// Ids of the Redis clients blocked in a BLMOVE now.
    static func blockedClients(_ client: RedisClient) async -> [Int] {
        let list = (try? await client.send(["CLIENT", "LIST", "TYPE", "normal"]).string) ?? ""
        return list.split(separator: "\n").filter { $0.contains("cmd=blmove") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("id=") }.flatMap { Int($0.dropFirst(3)) }
        }
    }
}
