import Transport

/// One circle's committed data in Redis (see `RedisStorage`).
final class RedisCircleStore: CircleStore {
    let circle: String
    let source: RedisTaskSource
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
        if case .bulk(let bytes?) = try send(["HGET", dataKey, path]) { return bytes }
        return nil
    }

    func valueSize(_ path: String) throws(StateError) -> Int? {
        let size = Int(try send(["HSTRLEN", dataKey, path]).integer ?? 0)
        return size > 0 ? size : nil
    }

    func paths() throws(StateError) -> [String] {
        (try send(["HKEYS", dataKey]).array ?? []).compactMap(\.string).sorted()
    }

    func usage() throws(StateError) -> DataUsage {
        let replies: [RedisValue]
        do {
            replies = try source.withConnection { connection throws(QueueError) in
                do {
                    return try connection.pipelineBlocking([["HLEN", dataKey], ["HGET", infoKey, "bytes"]])
                } catch {
                    throw .unavailable("\(error)")
                }
            }
        } catch {
            throw .storage("\(error)")
        }
        return DataUsage(paths: Int(replies[0].integer ?? 0), bytes: replies[1].string.flatMap { Int($0) } ?? 0)
    }

    var committer: (@Sendable ([DataWrite]) throws(StateError) -> Void)? { nil }

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
