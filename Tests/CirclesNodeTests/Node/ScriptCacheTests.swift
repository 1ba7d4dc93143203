import CirclesCore
import Rhai
import TestSupport
import Testing
@testable import CirclesNode

/// Issue 14: compiled scripts are kept within a byte bound, per engine and in all, least recently used out.
@Suite struct ScriptCacheTests {
    static func script(_ index: Int, bytes: Int) -> String {
        let head = "let x = \(index);\n"
        let line = "x = x + 1;\n"
        return head + String(repeating: line, count: max(0, (bytes - head.utf8.count) / line.utf8.count)) + "x"
    }

    static func limits() -> ScriptCache.Limits {
        var limits = ScriptCache.Limits()
        limits.perEngineBytes = 4 << 20
        limits.totalBytes = 6 << 20
        limits.maxScriptBytes = 32 << 10
        limits.bytesPerSourceByte = 16
        return limits
    }

    @Test func manyDistinctLargeScriptsStayUnderTheByteBounds() throws {
        let cache = ScriptCache(limits: Self.limits())
        let engine = Engine()
        let (first, second) = (cache.makeEngineId(), cache.makeEngineId())
        for index in 0..<60 {
            let script = Self.script(index, bytes: 30 << 10)
            cache.insert(engine: index % 3 == 0 ? second : first, script: script, ast: try engine.compile(script))
            #expect(cache.bytes(engine: first) <= 4 << 20)
            #expect(cache.bytes(engine: second) <= 4 << 20)
            #expect(cache.bytes() <= 6 << 20)
        }
        #expect(cache.count > 0)
        #expect(cache.bytes() > 4 << 20, "both engines hold scripts")
    }

    @Test func theLeastRecentlyUsedScriptGoesFirstAndBigScriptsAreNotKept() throws {
        var limits = Self.limits()
        limits.perEngineBytes = 3 * 16 * (10 << 10)
        let cache = ScriptCache(limits: limits)
        let engine = Engine()
        let id = cache.makeEngineId()
        let scripts = (0..<4).map { Self.script($0, bytes: 10 << 10) }
        for script in scripts.prefix(3) { cache.insert(engine: id, script: script, ast: try engine.compile(script)) }
        #expect(cache.lookup(engine: id, script: scripts[0]) != nil)
        cache.insert(engine: id, script: scripts[3], ast: try engine.compile(scripts[3]))
        #expect(cache.lookup(engine: id, script: scripts[1]) == nil, "the least recently used one is evicted")
        #expect(cache.lookup(engine: id, script: scripts[0]) != nil)
        #expect(cache.lookup(engine: id, script: scripts[3]) != nil)
        #expect(cache.lookup(engine: cache.makeEngineId(), script: scripts[0]) == nil, "engines do not share entries")
        let big = Self.script(99, bytes: 40 << 10)
        cache.insert(engine: id, script: big, ast: try engine.compile(big))
        #expect(cache.lookup(engine: id, script: big) == nil)
        cache.removeEngine(id)
        #expect(cache.bytes() == 0 && cache.count == 0)
    }

    @Test func aCircleEnginePlayingManyDistinctScriptsKeepsTheSharedCacheBounded() async throws {
        let base = try TemporaryDirectory.make(prefix: "circles-cache")
        let runner = ScriptRunner(dataDirectory: base)
        let circle = "02" + String(repeating: "ef", count: 32)
        let limits = ScriptCache.shared.limits
        for index in 0..<40 {
            let script = Self.script(index, bytes: 60 << 10)
            let result = await runner.run(ScriptTask(circle: circle, caller: "c", script: script, createdAt: 0))
            guard case .success = result.outcome else {
                Issue.record("script \(index) failed: \(result.outcome)")
                return
            }
            #expect(ScriptCache.shared.bytes() <= limits.totalBytes)
            #expect(ScriptCache.shared.largestEngineBytes <= limits.perEngineBytes)
        }
        // 40 × 60 KiB × 64 is 150 MiB of estimated trees: more than one circle may keep.
        #expect(ScriptCache.shared.count > 0)
        let big = Self.script(1_000, bytes: 100 << 10)
        // Other tests' engines share the cache and may add to it meanwhile: ask for this script only.
        _ = await runner.run(ScriptTask(circle: circle, caller: "c", script: big, createdAt: 0))
        #expect(!ScriptCache.shared.holds(script: big), "a script over the size limit is not kept")
        #expect(ScriptCache.shared.holds(script: Self.script(39, bytes: 60 << 10)), "the newest small one is")
    }
}
