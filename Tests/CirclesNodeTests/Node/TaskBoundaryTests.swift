#if canImport(Glibc)
import CirclesTestSupport
import Glibc
#endif
import CirclesCore
import TestSupport
import Testing
import Transport
@testable import CirclesNode

/// Redis inside a boundary (SPEC section 5, issue 16): tasks written straight into a real Redis by
/// someone without the task secret — unsigned, badly signed, for a circle the worker does not serve,
/// asking for hours, or answering into someone else's list — are not run as asked.
@Suite(.serialized) struct TaskBoundaryTests {
    static let circle = "02" + String(repeating: "ab", count: 32)
    static let foreign = "03" + String(repeating: "cd", count: 32)
    static let caller = "03" + String(repeating: "ef", count: 32)

    /// A real redis-server, a client, and a worker of `circle` with the test secret whose scripts may
    /// write data (so a script that ran leaves a file).
    struct Rig {
        let server: RedisServer
        let client: RedisClient
        let run: WorkerRun

        init(timeout: Double = 10, acceptUnsigned: Bool = false) async throws {
            server = try await onDedicatedThread { try RedisServer() }
            client = try RedisClient(server.url)
            var options = RedisTaskSource.Options()
            options.blockSeconds = 0.2
            options.secret = TestTaskSecret.secret
            options.acceptUnsignedTasks = acceptUnsigned
            var policy = CirclePolicy.open
            policy.limits.maxOperations = 0
            policy.limits.timeout = timeout
            run = try WorkerRun(client: client, options: options, circles: [TaskBoundaryTests.circle], concurrency: 1, policy: policy,
                                servesOnly: true)
        }

        /// Writes a task hash and queues it on `circle`'s queue, as an attacker with Redis access would.
        func forge(_ id: String, circle: String = TaskBoundaryTests.circle, context: String = TaskBoundaryTests.circle,
                   script: String, timeout: String = "", replyTo: String? = nil, sign: TaskSecret? = nil,
                   tamper: ((inout [String: String]) -> Void)? = nil) async throws {
            var values = ["id": id, "script": script, "caller_id": TaskBoundaryTests.caller, "context_id": context,
                          "timeout": timeout, "created_at": "1", "constants": "{}"]
            if let replyTo { values["reply_to"] = replyTo }
            if let sign { values[TaskSignature.field] = TaskSignature.sign(values, secret: sign) }
            tamper?(&values)
            var command = ["HSET", "rhailib:\(id)", "status", "pending", "updated_at", "1", "deliveries", "0"]
            for (name, value) in values where name != "id" { command += [name, value] }
            _ = try await client.pipeline([command, ["LPUSH", "rhailib:\(circle)", id]])
        }

        /// The task's final status and error, once it has one.
        func final(_ id: String) async throws -> (status: String, error: String) {
            var fields: [String?] = []
            try await Wait.until(timeout: 30, "task \(id) final") {
                fields = (try? await client.send(["HMGET", "rhailib:\(id)", "status", "error"]).array?.map(\.string)) ?? []
                return fields.first == "completed" || fields.first == "error"
            }
            return (fields[0] ?? "", fields[1] ?? "")
        }

        /// Whether a script wrote `marker` into either circle's state (`rhailib:data:{circle}`).
        func ran(_ marker: String) async throws -> Bool {
            for circle in [TaskBoundaryTests.circle, TaskBoundaryTests.foreign]
            where try await client.send(["HEXISTS", "rhailib:data:\(circle)", marker]).integer == 1 {
                return true
            }
            return false
        }

        func stop() async throws {
            try await run.stop()
            client.close()
            server.stop()
        }
    }

    @Test func aSignedTaskRunsAndForgedOnesDoNot() async throws {
        let rig = try await Rig()
        try await rig.forge("good", script: #"save_data("good", 1); "ok""#, sign: TestTaskSecret.secret)
        #expect(try await rig.final("good").status == "completed")
        #expect(try await rig.ran("good"))
        try await rig.forge("unsigned", script: #"save_data("unsigned", 1)"#)
        let wrongKey = try TaskSecret(text: "not-the-worker-secret-at-all")
        try await rig.forge("wrong-key", script: #"save_data("wrongkey", 1)"#, sign: wrongKey)
        try await rig.forge("tampered", script: #"save_data("tampered", 1)"#, sign: TestTaskSecret.secret) { values in
            values["caller_id"] = TaskBoundaryTests.circle  // now claims to be the circle itself
        }
        for id in ["unsigned", "wrong-key", "tampered"] {
            let (status, error) = try await rig.final(id)
            #expect(status == "error", "\(id)")
            #expect(error.contains("denied") && (error.contains("signed") || error.contains("signature")), "\(id): \(error)")
        }
        for marker in ["unsigned", "wrongkey", "tampered"] {
            let ran = try await rig.ran(marker)
            #expect(!ran, "\(marker)")
        }
        try await rig.stop()
    }

    @Test func unsignedTasksRunOnlyWhereAccepted() async throws {
        let rig = try await Rig(acceptUnsigned: true)
        try await rig.forge("legacy", script: #"save_data("legacy", 1); 1"#)
        #expect(try await rig.final("legacy").status == "completed")
        #expect(try await rig.ran("legacy"))
        try await rig.stop()
    }

    @Test func aWorkerRunsNoTaskOfACircleItDoesNotServe() async throws {
        let rig = try await Rig()
        // Signed, even: only the worker's configuration decides which circles it runs.
        try await rig.forge("foreign", context: Self.foreign, script: #"save_data("foreign", 1)"#, sign: TestTaskSecret.secret)
        let (status, error) = try await rig.final("foreign")
        #expect(status == "error" && error.contains("does not serve"), "\(error)")
        #expect(try await !rig.ran("foreign"))
        try await rig.stop()
    }

    @Test func aTaskCannotAskForMoreTimeThanTheCircleAllows() async throws {
        let rig = try await Rig(timeout: 0.5)
        let clock = ContinuousClock()
        let started = clock.now
        try await rig.forge("long", script: "loop { }", timeout: "86400", sign: TestTaskSecret.secret)
        let (status, error) = try await rig.final("long")
        #expect(status == "error" && error.contains("timeout"), "\(error)")
        #expect(clock.now - started < .seconds(30))
        try await rig.stop()
    }

    @Test func aTaskCannotAnswerIntoAnotherList() async throws {
        let rig = try await Rig()
        _ = try await rig.client.send(["RPUSH", "victim:list", "keep"])
        try await rig.forge("hijack", script: #"save_data("hijack", 1)"#, replyTo: "victim:list", sign: TestTaskSecret.secret)
        let (status, error) = try await rig.final("hijack")
        #expect(status == "error" && error.contains("reply list"), "\(error)")
        #expect(try await !rig.ran("hijack"))
        #expect(try await rig.client.send(["LRANGE", "victim:list", "0", "-1"]).array?.compactMap(\.string) == ["keep"])
        #expect(try await rig.client.send(["LLEN", "rhailib:reply:hijack"]).integer == 1, "answered on the task's own list instead")
        try await rig.stop()
    }

    @Test func theSignatureCoversEveryField() throws {
        let values = ["id": "t", "script": "1", "caller_id": "c", "context_id": "x", "timeout": "5", "reply_to": "rhailib:replies:g",
                      "created_at": "1", "constants": "{}"]
        let signature = TaskSignature.sign(values, secret: TestTaskSecret.secret)
        #expect(TaskSignature.verify(signature, values, secret: TestTaskSecret.secret))
        for name in TaskSignature.fields {
            var changed = values
            changed[name, default: ""] += "x"
            #expect(!TaskSignature.verify(signature, changed, secret: TestTaskSecret.secret), "\(name)")
        }
        // Moving bytes from one field to the next changes the signature too.
        var shifted = values
        shifted["script"] = "1c"
        shifted["caller_id"] = ""
        #expect(!TaskSignature.verify(signature, shifted, secret: TestTaskSecret.secret))
    }

    @Test func secretFilesOthersMayReadAreRefused() throws {
        let path = try TestTaskSecret.file()
        #expect(try TaskSecret.load(file: path, environment: [:]) == TestTaskSecret.secret)
        chmod(path, 0o640)
        #expect(throws: TaskSecretError.exposed(path, mode: 0o640)) { try TaskSecret.load(file: path, environment: [:]) }
        #expect(throws: TaskSecretError.tooShort(5)) { try TaskSecret.load(file: nil, environment: ["CIRCLES_TASK_SECRET": "short"]) }
        #expect(try TaskSecret.load(file: nil, environment: [:]) == nil)
    }

    @Test func redisModeWithoutASecretRefusesToStart() throws {
        var options = NodeOptions()
        options.port = 0
        options.circles = [NodeOptions.Circle(publicKey: Self.circle)]
        options.redisURL = "redis://127.0.0.1:1"
        #expect(throws: NodeError.self) { try CircleNode(options: options) }
        #expect(throws: NodeError.self) {
            try StandaloneWorker(redisURL: "redis://127.0.0.1:1", dataDirectory: "/tmp", concurrency: 1)
        }
    }
}
