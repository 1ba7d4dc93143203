import CirclesCore
import CircleClient
import CirclesTestSupport
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// A circle's modules across real processes: `circles modules put|list|delete` into a real
/// redis-server and a `circles worker` process importing them (with a `--module` of its own), the
/// same command against an embedded data directory, and `circles launch` with a config's `modules`.
@Suite struct ModulesProcessTests {
    static let util = "export const NAME = \"util\";\nfn double(x) { x * 2 }\n"

    static func circles(_ arguments: [String], in directory: String) async throws -> (code: Int32?, out: String, err: String) {
        let started = try CirclesBinary.start(arguments, in: directory)
        let status = await onDedicatedThread { started.process.wait() }
        return (ChildProcess.exitCode(of: status), CirclesBinary.read(started.out), CirclesBinary.read(started.err))
    }

    static func failure(_ result: TaskResult) -> ScriptFailure? {
        if case .failure(let failure) = result.outcome { return failure }
        return nil
    }

    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"), .timeLimit(.minutes(3)))
    func aWorkerProcessImportsModulesPutInRedis() async throws {
        let rig = try await GatewayRig()
        defer { rig.stop() }
        let (redis, client, gateway) = (rig.redis, rig.client, rig.gateway)
        let directory = try TemporaryDirectory.make(prefix: "circles-modules-redis")
        let circle = PrivateKey().publicKey.hex
        let stranger = PrivateKey().publicKey.hex
        try Self.util.write(toFile: directory + "/util.rhai", atomically: true, encoding: .utf8)
        try "fn tag() { \"from the worker's --module\" }".write(toFile: directory + "/local.rhai", atomically: true, encoding: .utf8)
        let secretFile = try TestTaskSecret.file()
        let unsigned = try await Self.circles(["modules", "put", "--circle", circle, "--redis-url", redis.url, "util", "util.rhai"], in: directory)
        #expect(unsigned.code == 2 && unsigned.err.contains("signed with the task secret"), "\(unsigned)")
        let target = ["--circle", circle, "--redis-url", redis.url, "--task-secret-file", secretFile]
        let put = try await Self.circles(["modules", "put"] + target + ["util", "util.rhai"], in: directory)
        #expect(put.code == 0, "\(put.err)")
        #expect(put.out.contains("module util put"))
        let refused = try await Self.circles(["modules", "put"] + target + ["../util", "util.rhai"], in: directory)
        #expect(refused.code == 2 && refused.err.contains("a module name is"), "\(refused)")
        #expect(try await Self.circles(["modules", "list", "--circle", circle, "--redis-url", redis.url], in: directory).out == "util\n",
                "listing needs no secret")
        let path = "modules/util.rhai"
        let stored = try await client.send(["HGET", RedisTaskKeys.data(circle), path])
        let value = try JSONParser.parse(stored.string ?? "")
        #expect(value["source"]?.stringValue == Self.util, "the source in the circle's hash")
        #expect(value["signature"]?.stringValue == ModuleSignature.sign(circle: circle, name: "util", source: Self.util, secret: TestTaskSecret.secret))
        #expect(try await client.send(["HGET", "rhailib:datainfo:\(circle)", "bytes"]).string == String((stored.string ?? "").utf8.count + path.utf8.count),
                "counted as a commit counts it")

        let worker = try CirclesBinary.start(["worker", "--redis-url", redis.url, "--circle", circle, "--data-dir", directory + "/data",
                                              "--task-secret-file", secretFile, "--grant", "*=modules,data",
                                              "--module", "local=local.rhai"], in: directory)
        defer { _ = worker.process.kill(SIGKILL) }
        func play(_ script: String) async throws -> TaskResult {
            try await gateway.submit(ScriptTask(circle: circle, caller: stranger, script: script, createdAt: 0, timeout: 30), timeout: 60)
        }
        #expect(try await play(#"import "util" as u; import "local" as l; `${u::double(21)} ${u::NAME} ${l::tag()}`"#).outcome
            == .success("42 util from the worker's --module"))
        let write = try await play(#"save_data("modules/util.rhai", "fn double(x) { 0 }")"#)
        #expect(Self.failure(write)?.kind == .denied, "\(write)")
        #expect(try await client.send(["HGET", RedisTaskKeys.data(circle), path]) == stored, "unchanged")
        // Write access to Redis alone injects no code: an unsigned module, or a signed one moved to another name, is refused.
        _ = try await client.send(["HSET", RedisTaskKeys.data(circle), "modules/forged.rhai", #"{"source": "fn double(x) { 0 }"}"#,
                                   "modules/moved.rhai", stored.string ?? ""])
        for (name, expected) in [("forged", "is not signed"), ("moved", "signature does not verify")] {
            let refused = try await play(#"let r = 0; try { import "\#(name)" as u; r = u::double(1); } catch { } r"#)
            #expect(Self.failure(refused)?.kind == .denied, "\(name): \(refused)")
            #expect(Self.failure(refused)?.message.contains(expected) == true, "\(name): \(refused)")
        }
        _ = try await client.send(["HDEL", RedisTaskKeys.data(circle), "modules/forged.rhai", "modules/moved.rhai"])
        let outside = try await play(#"import "../util" as u; 1"#)
        #expect(Self.failure(outside)?.kind == .denied, "\(outside)")
        let missing = try await play(#"import "nope" as u; 1"#)
        #expect(Self.failure(missing)?.message.contains("Module not found: nope") == true, "\(missing)")

        let deleted = try await Self.circles(["modules", "delete"] + target + ["util"], in: directory)
        #expect(deleted.code == 0, "\(deleted.err)")
        #expect(try await client.send(["HGET", "rhailib:datainfo:\(circle)", "bytes"]).string == "0")
        let gone = try await play(#"import "util" as u; 1"#)
        #expect(Self.failure(gone)?.message.contains("Module not found: util") == true, "\(gone)")
        #expect(try await Self.circles(["modules", "delete"] + target + ["util"], in: directory).code == 1, "nothing to delete")
        #expect(ChildProcess.exitCode(of: await worker.process.stop(SIGTERM)) == 0)
    }

    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"), .timeLimit(.minutes(2)))
    func theCommandPutsModulesIntoAnEmbeddedDataDirectory() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-modules-embedded")
        let circle = PrivateKey().publicKey.hex
        try Self.util.write(toFile: directory + "/util.rhai", atomically: true, encoding: .utf8)
        try String(repeating: "x", count: CircleModules.maxSourceBytes + 1).write(toFile: directory + "/big.rhai", atomically: true, encoding: .utf8)
        let target = ["--circle", circle, "--data-dir", "data"]
        let put = try await Self.circles(["modules", "put"] + target + ["util", "util.rhai"], in: directory)
        #expect(put.code == 0, "\(put.err)")
        let big = try await Self.circles(["modules", "put"] + target + ["big", "big.rhai"], in: directory)
        #expect(big.code == 2 && big.err.contains("over the module limit"), "\(big)")
        #expect(try await Self.circles(["modules", "list"] + target, in: directory).out == "util\n")
        let runner = ScriptRunner(dataDirectory: directory + "/data", policies: { _ in CirclePolicy(grants: ["*": .modules]) })
        let result = await runner.run(ScriptTask(circle: circle, caller: PrivateKey().publicKey.hex,
                                                 script: #"import "util" as u; u::double(u::NAME.len())"#, createdAt: 0))
        #expect(result.outcome == .success("8"), "\(result)")
    }

    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"), .timeLimit(.minutes(2)))
    func badModuleFlagsAreUsageErrors() async throws {
        let directory = try TemporaryDirectory.make(prefix: "circles-modules-flags")
        try String(repeating: "x", count: CircleModules.maxSourceBytes + 1).write(toFile: directory + "/big.rhai", atomically: true, encoding: .utf8)
        let circle = PrivateKey().publicKey.hex
        for (flag, expected) in [("../x=big.rhai", "a module name is"), ("util", "expected NAME=PATH"), ("util=missing.rhai", "cannot read missing.rhai"),
                                 ("util=big.rhai", "over the limit of \(CircleModules.maxSourceBytes) bytes")] {
            let served = try await Self.circles(["serve", "--circle", circle, "--port", "0", "--module", flag], in: directory)
            #expect(served.code == 2 && served.err.contains(expected), "\(flag): \(served)")
        }
    }

    /// Embedded (the node's workers, its SQLite state), and Redis with a supervised worker process (which
    /// reads the config's modules itself, and the state's modules from Redis, signed).
    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"), .timeLimit(.minutes(3)),
          arguments: [false, true])
    func theLaunchersConfigGivesACircleItsModules(redisMode: Bool) async throws {
        let redis = redisMode ? try await onDedicatedThread { try RedisServer() } : nil
        defer { redis?.stop() }
        let secretFile = try TestTaskSecret.file()
        let modeArguments = redis.map { ["--redis-url", $0.url, "--worker-processes", "1", "--task-secret-file", secretFile] } ?? []
        let stateArguments = redis.map { ["--redis-url", $0.url, "--task-secret-file", secretFile] } ?? ["--data-dir", "data"]
        let directory = try TemporaryDirectory.make(prefix: "circles-modules-launch")
        try FileManager.default.createDirectory(atPath: directory + "/lib", withIntermediateDirectories: true)
        try Self.util.write(toFile: directory + "/lib/util.rhai", atomically: true, encoding: .utf8)
        try #"import "util" as u; print(`start ${u::double(5)}`); 1"#.write(toFile: directory + "/start.rhai", atomically: true, encoding: .utf8)
        let launcher = try await CirclesBinary.launch(in: directory, config: { port in
            #"[{"name": "shared", "port": \#(port), "script_path": "start.rhai", "modules": {"util": "lib/util.rhai"}, "policy": {"grants": {"*": ["modules"]}}}]"#
        }, ["--json"] + modeArguments, until: { out, _ in out.hasSuffix("\n") })
        defer { _ = launcher.process.kill(SIGKILL) }
        try await Wait.until(timeout: 30, "the start script, which imports the module") { CirclesBinary.read(launcher.err).contains("start 10") }
        let url = try #require(JSONParser.parse(CirclesBinary.read(launcher.out)).arrayValue?.first?["url"]?.stringValue)
        let client = try CircleClient.Builder(url: url).keyPair(PrivateKey()).timeout(60).build()
        try await client.connect()
        _ = try await client.authenticate()
        #expect(try await client.play(#"import "util" as u; u::double(21)"#).output == "42")
        // A module put into the running node's state by the command is imported by the next play.
        try "fn hi() { \"hi\" }".write(toFile: directory + "/hi.rhai", atomically: true, encoding: .utf8)
        let circle = String(url.split(separator: "/").last ?? "")
        let put = try await Self.circles(["modules", "put", "--circle", circle] + stateArguments + ["hi", "hi.rhai"], in: directory)
        #expect(put.code == 0, "\(put.err)")
        #expect(try await client.play(#"import "hi" as h; h::hi()"#).output == "hi")
        if let redis {
            let check = try RedisClient(redis.url, connections: 1)
            defer { check.close() }
            #expect(try await check.send(["HEXISTS", RedisTaskKeys.data(circle), "modules/hi.rhai"]).integer == 1, "the module is in Redis")
        }
        await #expect { try await client.play(#"import "/etc/passwd" as p; 1"#) } throws: { error in
            guard case CircleClientError.execution(let failure) = error else { return false }
            return failure.kind == .denied && failure.message.contains("refused")
        }
        #expect(ChildProcess.exitCode(of: await launcher.process.stop(SIGTERM)) == 0)
    }
}
