import Synchronization

/// Names of live actors.
final class Registry: Sendable {
    private let entries = Mutex<[String: (id: UInt64, ref: any Sendable)]>([:])

    func add(_ name: String, id: UInt64, ref: any Sendable) throws(RegistryError) {
        let taken = entries.withLock { entries -> Bool in
            if entries[name] != nil { return true }
            entries[name] = (id, ref)
            return false
        }
        if taken { throw .nameTaken(name) }
    }

    func remove(_ name: String, id: UInt64) {
        entries.withLock { entries in
            if entries[name]?.id == id { entries[name] = nil }
        }
    }

    func find(_ name: String) -> (any Sendable)? { entries.withLock { $0[name]?.ref } }

    var names: [String] { entries.withLock { $0.keys.sorted() } }
}

/// Why a name could not be registered.
public enum RegistryError: Error, Sendable, Equatable {
    case nameTaken(String)
}
