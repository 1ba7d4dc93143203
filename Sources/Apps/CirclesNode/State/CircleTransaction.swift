/// One task's view of its circle's data: reads go to the buffer of its own writes first, then to the
/// committed store; writes are buffered, checked against the circle's limits, and handed to the queue
/// at the end (`writes`). A store failure or a limit poisons the transaction: the task then fails
/// whatever its script does with the error, so a caught error never leads to a commit built on a
/// read that did not happen. Used by one thread (the task's worker).
package final class CircleTransaction: @unchecked Sendable {
    package let circle: String
    package let caller: String
    package let limits: DataLimits
    private let open: () throws(StateError) -> any CircleStore
    private var opened: (any CircleStore)?
    private var buffer: [String: [UInt8]?] = [:]
    private var order: [String] = []
    private var usage: DataUsage?
    /// Sizes of committed values this task read (nil: absent), so a write after a read asks the store nothing.
    private var sizes: [String: Int?] = [:]
    /// The first store failure or limit this task hit.
    package private(set) var poison: StateError?

    package init(circle: String, caller: String, limits: DataLimits, open: @escaping () throws(StateError) -> any CircleStore) {
        self.circle = circle
        self.caller = caller
        self.limits = limits
        self.open = open
    }

    /// The store, once the task touched its data.
    package var store: (any CircleStore)? { opened }

    /// The buffered writes, in the order of their first write.
    package var writes: [DataWrite] { order.map { DataWrite(path: $0, value: buffer[$0]!) } }

    private func guarded<R>(_ body: () throws(StateError) -> R) throws(StateError) -> R {
        if let poison { throw poison }
        do {
            return try body()
        } catch {
            poison = error
            throw error
        }
    }

    private func openStore() throws(StateError) -> any CircleStore {
        if let opened { return opened }
        let store = try open()
        opened = store
        return store
    }

    package func load(_ path: String) throws(StateError) -> [UInt8]? {
        try guarded { () throws(StateError) -> [UInt8]? in
            if let buffered = buffer[path] { return buffered }
            let value = try openStore().load(path)
            sizes[path] = value?.count
            return value
        }
    }

    package func list() throws(StateError) -> [String] {
        try guarded { () throws(StateError) -> [String] in
            var paths = Set(try openStore().paths())
            for (path, value) in buffer {
                if value == nil { paths.remove(path) } else { paths.insert(path) }
            }
            return paths.sorted()
        }
    }

    package func save(_ path: String, _ value: [UInt8]) throws(StateError) {
        try guarded { () throws(StateError) in
            guard value.count <= limits.maxValueBytes else {
                throw .limit("the value for '\(path)' is \(value.count) bytes, over the circle's limit of \(limits.maxValueBytes)")
            }
            var next = try currentUsage()
            if let old = try size(path) {
                next.paths -= 1
                next.bytes -= old + path.utf8.count
            }
            next.paths += 1
            next.bytes += value.count + path.utf8.count
            guard next.paths <= limits.maxPaths else {
                throw .limit("saving '\(path)' would make \(next.paths) paths, over the circle's limit of \(limits.maxPaths)")
            }
            guard next.bytes <= limits.maxTotalBytes else {
                throw .limit("saving '\(path)' would make \(next.bytes) bytes of data, over the circle's limit of \(limits.maxTotalBytes)")
            }
            record(path, value)
            usage = next
        }
    }

    /// Deletes `path`; false when there was nothing there.
    package func delete(_ path: String) throws(StateError) -> Bool {
        try guarded { () throws(StateError) -> Bool in
            guard let old = try size(path) else { return false }
            var next = try currentUsage()
            next.paths -= 1
            next.bytes -= old + path.utf8.count
            record(path, nil)
            usage = next
            return true
        }
    }

    private func record(_ path: String, _ value: [UInt8]?) {
        if buffer.updateValue(value, forKey: path) == nil { order.append(path) }
    }

    private func size(_ path: String) throws(StateError) -> Int? {
        if let buffered = buffer[path] { return buffered?.count }
        if let known = sizes[path] { return known }
        let size = try openStore().valueSize(path)
        sizes[path] = size
        return size
    }

    private func currentUsage() throws(StateError) -> DataUsage {
        if let usage { return usage }
        let committed = try openStore().usage()
        usage = committed
        return committed
    }
}
