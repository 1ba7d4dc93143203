import Threads
import Actors
import CirclesCore
import Transport

/// How an operator puts modules into a circle's state (`circles modules put|delete|list`): the data
/// path `modules/NAME.rhai`, its value `{"source": S}`, in the circle's SQLite database (embedded
/// mode) or its Redis hash, signed with the task secret there (`ModuleSignature`), with the circle's
/// byte count kept as a task's commit keeps it.
/// Scripts read modules there with `import` (and `load_data`), never write them. A module put while
/// the circle runs is seen by the tasks that import it after the put.
package struct ModuleInstaller: Sendable {
    package enum Target: Sendable {
        /// The circles' data directory of an embedded node (`--data-dir`).
        case embedded(dataDirectory: String)
        /// The Redis of a node and its workers; modules are signed with `secret` (nil: unsigned, for
        /// workers that accept unsigned tasks).
        case redis(url: String, secret: TaskSecret?)
    }

    package let target: Target

    package init(_ target: Target) {
        self.target = target
    }

    /// Stores `source` as module `name` of `circle`, replacing one of that name.
    package func put(_ name: String, source: String, circle: String) async throws(ModuleError) {
        let (circle, path) = try Self.check(name, circle: circle)
        guard source.utf8.count <= CircleModules.maxSourceBytes else {
            throw ModuleError("module '\(name)' is \(source.utf8.count) bytes, over the limit of \(CircleModules.maxSourceBytes) bytes")
        }
        var signature: String?
        if case .redis(_, let secret?) = target { signature = ModuleSignature.sign(circle: circle, name: name, source: source, secret: secret) }
        _ = try await write(DataWrite(path: path, value: CircleModules.storedValue(source, signature: signature)), circle: circle)
    }

    /// Removes module `name` of `circle`; false when there was none.
    package func delete(_ name: String, circle: String) async throws(ModuleError) -> Bool {
        let (circle, path) = try Self.check(name, circle: circle)
        return try await write(DataWrite(path: path, value: nil), circle: circle)
    }

    /// The names of the modules in `circle`'s state, sorted.
    package func list(circle: String) async throws(ModuleError) -> [String] {
        let circle = try Self.circleKey(circle)
        let paths: [String]
        switch target {
        case .embedded(let directory):
            paths = try await Self.onThread { () throws(StateError) -> [String] in
                try SQLiteStorage(dataDirectory: directory).sqliteStore(for: circle).paths()
            }
        case .redis(let url, _):
            paths = (try await Self.redis(url) { client throws(RedisError) in
                try await client.send(["HKEYS", RedisTaskKeys.data(circle)])
            }.array ?? []).compactMap(\.string)
        }
        return paths.compactMap(CircleModules.name(ofDataPath:)).sorted()
    }

    /// Applies one write; whether the path held a value before.
    private func write(_ write: DataWrite, circle: String) async throws(ModuleError) -> Bool {
        switch target {
        case .embedded(let directory):
            return try await Self.onThread { () throws(StateError) -> Bool in
                let store = try SQLiteStorage(dataDirectory: directory).sqliteStore(for: circle)
                let existed = try store.valueSize(write.path) != nil
                try store.commit([write])
                return existed
            }
        case .redis(let url, _):
            let arguments = write.value.map { ["s", write.path, String(decoding: $0, as: UTF8.self)] } ?? ["d", write.path, ""]
            let reply = try await Self.redis(url) { client throws(RedisError) in
                try await client.send(Self.writeScript.eval(keys: [RedisTaskKeys.data(circle), "rhailib:datainfo:\(circle)"],
                                                            arguments: arguments))
            }
            if case .error(let message) = reply { throw ModuleError("Redis refused the write: \(message)") }
            return (reply.integer ?? 0) > 0
        }
    }

    private static func check(_ name: String, circle: String) throws(ModuleError) -> (circle: String, path: String) {
        guard let path = CircleModules.dataPath(of: name) else { throw ModuleError("\"\(name)\": \(CircleModules.nameRule)") }
        return (try circleKey(circle), path)
    }

    private static func circleKey(_ text: String) throws(ModuleError) -> String {
        do {
            return try PublicKey(hex: text).hex
        } catch {
            throw ModuleError("circle \(text): \(error)")
        }
    }

    /// SQLite work (an fsync) on a thread of its own, off the cooperative pool.
    private static func onThread<R: Sendable>(_ body: @escaping @Sendable () throws(StateError) -> R) async throws(ModuleError) -> R {
        let result = await DedicatedThread.run("circles-modules") { () -> Result<R, StateError> in
            do throws(StateError) {
                return .success(try body())
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw ModuleError(error.description)
        }
    }

    private static func redis(_ url: String, _ body: (RedisClient) async throws(RedisError) -> RedisValue) async throws(ModuleError) -> RedisValue {
        let client: RedisClient
        do {
            client = try RedisClient(url, connections: 1)
        } catch {
            throw ModuleError("cannot use Redis at the given URL: \(error)")
        }
        defer { client.close() }
        do {
            return try await body(client)
        } catch {
            throw ModuleError("Redis: \(error)")
        }
    }

    /// Sets (`s`) or deletes (`d`) one path of a circle's hash and keeps its byte count, as the complete
    /// script does; returns the old value's length (0: there was none).
    static let writeScript = RedisScript("""
        local old = redis.call('HSTRLEN', KEYS[1], ARGV[2])
        local delta = 0
        if old > 0 then delta = -old - #ARGV[2] end
        if ARGV[1] == 's' then
          redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
          delta = delta + #ARGV[3] + #ARGV[2]
        elseif old > 0 then
          redis.call('HDEL', KEYS[1], ARGV[2])
        end
        redis.call('HINCRBY', KEYS[2], 'bytes', delta)
        return old
        """)
}
