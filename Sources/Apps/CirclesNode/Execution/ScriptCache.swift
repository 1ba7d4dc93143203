import Rhai
import Synchronization

/// Compiled scripts, so that a script played again is not parsed again; bounded by bytes per engine
/// (one circle) and for the process, least recently used first out.
///
/// A compiled script's size is estimated as `bytesPerSourceByte` × its source bytes: a dense 1 MiB
/// script was measured at 50–60 MiB of syntax tree, so 64 is an upper estimate for what a script can
/// hold per byte of source (ordinary scripts hold much less, and are then under-charged, never
/// over the bound). Scripts over `maxScriptBytes` are compiled for each play and never kept. The
/// entry counts are bounded too, so finding the least recently used entry is a short scan, paid on a
/// miss only (next to a compilation it costs nothing).
package final class ScriptCache: Sendable {
    /// The cache the circle engines share.
    package static let shared = ScriptCache()

    package struct Limits: Sendable {
        /// Estimated bytes one engine (one circle) may hold.
        package var perEngineBytes = 64 << 20
        /// Estimated bytes all engines together may hold.
        package var totalBytes = 256 << 20
        /// Scripts larger than this are not cached.
        package var maxScriptBytes = 64 << 10
        package var bytesPerSourceByte = 64
        package var perEngineEntries = 256
        package var totalEntries = 4_096

        package init() {}
    }

    private struct Key: Hashable {
        var engine: UInt64
        var script: String
    }

    private struct Entry {
        var ast: AST
        var bytes: Int
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var tick: UInt64 = 0
        var engineBytes: [UInt64: Int] = [:]
        var engineEntries: [UInt64: Int] = [:]
        var totalBytes = 0
        var nextEngine: UInt64 = 0
    }

    package let limits: Limits
    private let state = Mutex(State())

    package init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// A new engine's id, under which its scripts are kept.
    package func makeEngineId() -> UInt64 {
        state.withLock { state in
            state.nextEngine += 1
            return state.nextEngine
        }
    }

    /// Whether any engine keeps `script` (tests: the cache is shared by every engine of the process).
    package func holds(script: String) -> Bool {
        state.withLock { $0.entries.keys.contains { $0.script == script } }
    }

    /// The compiled form of `script` for `engine`, or nil.
    package func lookup(engine: UInt64, script: String) -> AST? {
        guard script.utf8.count <= limits.maxScriptBytes else { return nil }
        return state.withLock { state in
            let key = Key(engine: engine, script: script)
            guard var entry = state.entries[key] else { return nil }
            state.tick += 1
            entry.lastUse = state.tick
            state.entries[key] = entry
            return entry.ast
        }
    }

    /// The kept compiled form of `script` for `engine`, or `compile()`'s, kept for next time.
    package func ast(engine: UInt64, script: String, compile: () throws(RhaiError) -> AST) throws(RhaiError) -> AST {
        if let ast = lookup(engine: engine, script: script) { return ast }
        let ast = try compile()
        insert(engine: engine, script: script, ast: ast)
        return ast
    }

    /// Keeps `ast`, the compiled `script` of `engine`, unless it is too large; evicts the least
    /// recently used scripts of the engine, then of any engine, until both bounds hold.
    package func insert(engine: UInt64, script: String, ast: AST) {
        let size = script.utf8.count
        guard size <= limits.maxScriptBytes else { return }
        let bytes = max(size, 1) * limits.bytesPerSourceByte
        guard bytes <= limits.perEngineBytes, bytes <= limits.totalBytes else { return }
        state.withLock { state in
            let key = Key(engine: engine, script: script)
            if let old = state.entries[key] { Self.remove(key, old, from: &state) }
            while state.engineBytes[engine, default: 0] + bytes > limits.perEngineBytes
                || state.engineEntries[engine, default: 0] >= limits.perEngineEntries {
                guard let (victim, entry) = Self.oldest(in: state, where: { $0.engine == engine }) else { break }
                Self.remove(victim, entry, from: &state)
            }
            while state.totalBytes + bytes > limits.totalBytes || state.entries.count >= limits.totalEntries {
                guard let (victim, entry) = Self.oldest(in: state, where: { _ in true }) else { break }
                Self.remove(victim, entry, from: &state)
            }
            state.tick += 1
            state.entries[key] = Entry(ast: ast, bytes: bytes, lastUse: state.tick)
            state.engineBytes[engine, default: 0] += bytes
            state.engineEntries[engine, default: 0] += 1
            state.totalBytes += bytes
        }
    }

    /// Drops everything `engine` holds (the engine is gone).
    package func removeEngine(_ engine: UInt64) {
        state.withLock { state in
            for (key, entry) in state.entries where key.engine == engine { Self.remove(key, entry, from: &state) }
        }
    }

    /// Estimated bytes held: by `engine`, or in all.
    package func bytes(engine: UInt64? = nil) -> Int {
        state.withLock { state in engine.map { state.engineBytes[$0, default: 0] } ?? state.totalBytes }
    }

    package var count: Int { state.withLock { $0.entries.count } }

    /// The most estimated bytes any one engine holds.
    package var largestEngineBytes: Int { state.withLock { $0.engineBytes.values.max() ?? 0 } }

    private static func remove(_ key: Key, _ entry: Entry, from state: inout State) {
        state.entries[key] = nil
        state.totalBytes -= entry.bytes
        let left = state.engineBytes[key.engine, default: 0] - entry.bytes
        state.engineBytes[key.engine] = left > 0 ? left : nil
        let entries = state.engineEntries[key.engine, default: 0] - 1
        state.engineEntries[key.engine] = entries > 0 ? entries : nil
    }

    /// The least recently used entry that matches.
    private static func oldest(in state: State, where matches: (Key) -> Bool) -> (Key, Entry)? {
        var found: (Key, Entry)?
        for (key, entry) in state.entries where matches(key) && entry.lastUse < found?.1.lastUse ?? .max { found = (key, entry) }
        return found
    }
}
