import TestSupport
import Testing
import Transport
@testable import CirclesNode

@Suite(.serialized) struct RedisTaskQueueTests {
    func options(visibility: Double = 10, maxDeliveries: Int = 3) -> RedisTaskSource.Options {
        var options = RedisTaskSource.Options()
        options.visibilityTimeout = visibility
        options.maxDeliveries = maxDeliveries
        options.blockSeconds = 0.2
        return options
    }

    /// A real redis-server, a client for it and a started gateway.
    func makeGateway() async throws -> (RedisServer, RedisClient, RedisTaskQueue) {
        let server = try await onDedicatedThread { try RedisServer() }
        let client = try RedisClient(server.url)
        let gateway = RedisTaskQueue(client: client)
        gateway.start()
        return (server, client, gateway)
    }

    func task(_ script: String = "1 + 1", circle: String = "02aa") -> ScriptTask {
        ScriptTask(circle: circle, caller: "03bb", script: script, constants: ["X": 1], createdAt: 0, timeout: 5)
    }

    @Test func aTaskGoesThroughRedisWithTheDocumentedKeysAndStatuses() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer {
            gateway.stop()
            server.stop()
        }
        let source = RedisTaskSource(client: client, options: options())
        let submitted = task()
        async let answer = gateway.submit(submitted, timeout: 60)
        let taken = try await source.take(circles: [submitted.circle], worker: "w1")
        #expect(taken?.script == submitted.script)
        #expect(taken?.caller == "03bb")
        #expect(taken?.constants == ["X": 1])
        #expect(try await client.send(["HGET", "rhailib:\(submitted.id)", "status"]).string == "processing")
        #expect(try await client.send(["LRANGE", "rhailib:processing:w1", "0", "-1"]).array?.compactMap(\.string) == [submitted.id])
        let result = TaskResult(taskId: submitted.id, outcome: .success("2"), logs: ["hello"])
        #expect(try await source.complete(result, worker: "w1"))
        #expect(try await answer == result)
        #expect(try await client.send(["HGET", "rhailib:\(submitted.id)", "status"]).string == "completed")
        #expect(try await client.send(["HGET", "rhailib:\(submitted.id)", "output"]).string == "2")
        #expect(try await client.send(["TTL", "rhailib:\(submitted.id)"]).integer ?? 0 > 3500)
        #expect(try await client.send(["LLEN", "rhailib:processing:w1"]).integer == 0)
        #expect(try await client.send(["SISMEMBER", "rhailib:circles", submitted.circle]).integer == 1)
        // Completing twice is refused; the reply list was consumed by the gateway.
        #expect(try await !source.complete(TaskResult(taskId: submitted.id, outcome: .success("again")), worker: "w1"))
        try await Wait.until(timeout: 5, "the reply list to be deleted") {
            (try? await client.send(["EXISTS", "rhailib:reply:\(submitted.id)"]).integer) == 0
        }
    }

    @Test func aDeadWorkersTaskIsReapedAndAnsweredOnceByAnotherWorker() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer {
            gateway.stop()
            server.stop()
        }
        let source = RedisTaskSource(client: client, options: options(visibility: 1))
        let submitted = task()
        async let answer = gateway.submit(submitted, timeout: 30)
        // Worker "dead" takes the task, heartbeats once and then is never heard of again.
        try await source.heartbeat(worker: "dead")
        #expect(try await source.take(circles: [submitted.circle], worker: "dead") != nil)
        try await Wait.until(timeout: 60, "the reaper to requeue the task") { (try? await source.reap()) == 1 }
        try await source.heartbeat(worker: "alive")
        let again = try await source.take(circles: [submitted.circle], worker: "alive")
        #expect(again?.id == submitted.id)
        #expect(try await client.send(["HGET", "rhailib:\(submitted.id)", "deliveries"]).string == "2")
        #expect(try await source.complete(TaskResult(taskId: submitted.id, outcome: .success("done")), worker: "alive"))
        #expect(try await answer.outcome == .success("done"))
    }

    @Test func tooManyDeliveriesGoToTheDeadLetterListAndAnswerTheGateway() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer {
            gateway.stop()
            server.stop()
        }
        let source = RedisTaskSource(client: client, options: options(visibility: 1, maxDeliveries: 1))
        let submitted = task()
        async let answer = gateway.submit(submitted, timeout: 30)
        try await source.heartbeat(worker: "dead")
        _ = try await source.take(circles: [submitted.circle], worker: "dead")
        try await Wait.until(timeout: 60, "the reaper to requeue the task") { (try? await source.reap()) == 1 }
        // The second delivery exceeds the limit: the claim dead-letters it instead of running it.
        let taker = Task { try await source.take(circles: [submitted.circle], worker: "other") }
        let result = try await answer
        guard case .failure(let failure) = result.outcome else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.message.contains("dead-letter"))
        #expect(try await client.send(["LRANGE", "rhailib:dead:\(submitted.circle)", "0", "-1"]).array?.compactMap(\.string) == [submitted.id])
        source.close()
        #expect(try await taker.value == nil)
    }

    @Test func submitFailsFastWhileRedisIsDownAndWorksAgainAfter() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer {
            gateway.stop()
            server.stop()
        }
        server.kill()
        let started = Wait.now()
        for _ in 0..<5 {
            await #expect(throws: QueueError.self) { try await gateway.submit(task(), timeout: 30) }
        }
        #expect(Wait.now() - started < 5)
        try await onDedicatedThread { try server.start() }
        let source = RedisTaskSource(client: client, options: options())
        try await Wait.until(timeout: 60, "Redis to be reachable again") { (try? await client.send(["PING"])) != nil }
        let submitted = task()
        async let answer = gateway.submit(submitted, timeout: 30)
        let taken = try await source.take(circles: [submitted.circle], worker: "w")
        #expect(taken?.id == submitted.id)
        _ = try await source.complete(TaskResult(taskId: submitted.id, outcome: .success("back")), worker: "w")
        #expect(try await answer.outcome == .success("back"))
    }

    @Test func aWorkerOverRedisRunsScriptsEndToEnd() async throws {
        let (server, client, gateway) = try await makeGateway()
        defer {
            gateway.stop()
            server.stop()
        }
        let source = RedisTaskSource(client: client, options: options())
        let runner = ScriptRunner(dataDirectory: try TemporaryDirectory.make(prefix: "circles-redis-worker"), threads: 2)
        defer { runner.shutdown() }
        let worker = TaskWorker(id: "w1", source: source, runner: runner, circles: ["02aa"], concurrency: 2)
        source.start(worker: "w1")
        let running = Task { try await worker.run() }
        for index in 0..<20 {
            let result = try await gateway.submit(task("\(index) * 3 + X"), timeout: 30)
            #expect(result.outcome == .success("\(index * 3 + 1)"))
        }
        worker.stop()
        source.close()
        try await running.value
    }
}
