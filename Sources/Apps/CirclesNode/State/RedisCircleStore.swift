import Synchronization
import Transport

/// One circle's committed data in Redis (see `RedisStorage`), for one task: the circle's usage is read
/// once (with the task's first `load`, in the same round trip), as nothing else writes during its turn.
final class RedisCircleStore: CircleStore {
    let circle: String
    let source: RedisTaskSource
    private let cachedUsage = Mutex<DataUsage?>(nil)
    var dataKey: String { RedisTaskKeys.data(circle) }
    var infoKey: String { "rhailib:datainfo:\(circle)" }

    init(circle: String, source: RedisTaskSource) {
        self.circle = circle
        self.source = source
    }

    private func send(_ command: [String]) throws(StateError) -> RedisValue {
        do {
            return try source.send(command)
        } catch {
            throw .storage("\(error)")
        }
    }

    func load(_ path: String) throws(StateError) -> [UInt8]? {
        let withUsage = cachedUsage.withLock { $0 == nil }
        var commands = [["HGET", dataKey, path]]
        if withUsage { commands += Self.usageCommands(dataKey, infoKey) }
        let replies = try pipeline(commands)
        if withUsage { cachedUsage.withLock { $0 = Self.usage(replies[1], replies[2]) } }
        if case .bulk(let bytes?) = replies[0] { return bytes }
        return nil
    }

    private static func usageCommands(_ data: String, _ info: String) -> [[String]] { [["HLEN", data], ["HGET", info, "bytes"]] }

    private static func usage(_ paths: RedisValue, _ bytes: RedisValue) -> DataUsage {
        DataUsage(paths: Int(paths.integer ?? 0), bytes: bytes.string.flatMap { Int($0) } ?? 0)
    }

    private func pipeline(_ commands: [[String]]) throws(StateError) -> [RedisValue] {
        let replies: [RedisValue]
        do {
            replies = try source.withConnection { connection throws(QueueError) in
                do {
                    return try connection.pipelineBlocking(commands)
                } catch {
                    throw .unavailable("\(error)")
                }
            }
        } catch {
            throw .storage("\(error)")
        }
        if let failure = replies.first(where: { if case .error = $0 { true } else { false } }) { throw .storage("Redis refused a read: \(failure)") }
        return replies
    }

    func valueSize(_ path: String) throws(StateError) -> Int? {
        let size = Int(try send(["HSTRLEN", dataKey, path]).integer ?? 0)
        return size > 0 ? size : nil
    }

    func paths() throws(StateError) -> [String] {
        (try send(["HKEYS", dataKey]).array ?? []).compactMap(\.string).sorted()
    }

    func usage() throws(StateError) -> DataUsage {
        if let known = cachedUsage.withLock({ $0 }) { return known }
        let replies = try pipeline(Self.usageCommands(dataKey, infoKey))
        let usage = Self.usage(replies[0], replies[1])
        cachedUsage.withLock { $0 = usage }
        return usage
    }

    var committer: (@Sendable ([DataWrite]) throws(StateError) -> Void)? { nil }

    /// Anyone who can write to Redis could write the hash: modules must carry the operator's signature.
    var moduleSigning: (secret: TaskSecret?, acceptUnsigned: Bool)? { (source.options.secret, source.options.acceptUnsignedTasks) }

    /// Imports the circle's data files under `dataDirectory`, once for the circle (the first worker
    /// that sees them; paths already in the hash are kept).
    func importLegacy(from dataDirectory: String?) throws(StateError) {
        guard let dataDirectory, try send(["HGET", infoKey, "imported"]).string == nil else { return }
        let namespace: PeerNamespace
        let files: [(path: String, bytes: [UInt8])]
        do {
            namespace = try PeerNamespace(base: dataDirectory, circle: circle)
            files = try namespace.legacyFiles()
        } catch {
            throw .storage("cannot import the data files of \(circle): \(error)")
        }
        guard !files.isEmpty else { return }
        do {
            _ = try source.run(RedisTaskScripts.importFiles, keys: [dataKey, infoKey],
                               arguments: files.flatMap { [$0.path, String(decoding: $0.bytes, as: UTF8.self)] })
        } catch {
            throw .storage("\(error)")
        }
    }
}
