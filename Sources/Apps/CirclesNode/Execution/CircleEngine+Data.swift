import CirclesCore
import Rhai

/// The data functions (SPEC section 6.1): each reads and writes the running task's transaction
/// (`CurrentTransaction`), never the store directly, so a task's writes stay its own until its queue
/// commits them with its result.
extension CircleEngine {
    func registerDataFunctions() {
        registerTestHold()
        engine.registerFunction("load_data", arity: 1) { args in
            let (transaction, path) = try Self.access(.dataRead, args[0], "load_data")
            let loaded = try Self.state { () throws(StateError) in try transaction.load(path) }
            guard let bytes = loaded else {
                throw RhaiError(.runtime, NamespaceError.notFound(path).description)
            }
            do {
                return Dynamic(json: try JSONParser.parse(bytes))
            } catch {
                throw RhaiError(.runtime, NamespaceError.invalidData("'\(path)' is not JSON: \(error)").description)
            }
        }
        engine.registerFunction("save_data", arity: 2) { args in
            let (transaction, path) = try Self.access(.dataWrite, args[0], "save_data")
            let bytes = try Self.state { () throws(StateError) in try Self.serialise(args[1], limit: transaction.limits.maxValueBytes, path: path) }
            try Self.state { () throws(StateError) in try transaction.save(path, bytes) }
            return .unit
        }
        engine.registerFunction("delete_data", arity: 1) { args in
            let (transaction, path) = try Self.access(.dataDelete, args[0], "delete_data")
            return .bool(try Self.state { () throws(StateError) in try transaction.delete(path) })
        }
        engine.registerFunction("list_data", arity: 0) { _ in
            guard let transaction = CurrentTransaction.current else { throw RhaiError(.runtime, "list_data: no circle state here") }
            try DataAccess.require(.dataRead, "list_data")
            return .array(try Self.state { () throws(StateError) in try transaction.list() }.map(Dynamic.string))
        }
    }

    /// Runs `task` with `transaction` as its view of the circle's data. A limit or store failure the
    /// script hit fails the task even when the script caught it.
    func execute(_ task: ScriptTask, transaction: CircleTransaction, cancellation: Cancellation, timeout: Double,
                 stackSize: Int) -> TaskResult {
        var result = CurrentTransaction.with(transaction) {
            execute(task, cancellation: cancellation, timeout: timeout, stackSize: stackSize)
        }
        if let poison = transaction.poison, case .success = result.outcome {
            result.outcome = .failure(Self.failure(poison))
        }
        return result
    }

    static func failure(_ error: StateError) -> ScriptFailure {
        switch error {
        case .limit(let message): ScriptFailure(kind: .limit, message: message)
        case .storage: ScriptFailure(kind: .runtime, message: error.description)
        }
    }

    /// A value as the JSON text stored for it, at most `limit` bytes and nested no deeper than
    /// `load_data` can read back; rendering stops as soon as either is passed.
    static func serialise(_ value: Dynamic, limit: Int, path: String) throws(StateError) -> [UInt8] {
        do {
            return Array(try value.jsonText(limit: limit, maxDepth: JSONParser.defaultMaxDepth).utf8)
        } catch {
            if error.message.contains("nested") {
                throw .limit("the value for '\(path)' nests deeper than \(JSONParser.defaultMaxDepth) levels, which load_data could not read back")
            }
            throw .limit("the value for '\(path)' is over the circle's limit of \(limit) bytes")
        }
    }

    /// A caller without the `operation` right is refused first (`DataAccess`, the circle's policy).
    private static func access(_ operation: PolicyOperations, _ value: Dynamic, _ function: String) throws -> (CircleTransaction, String) {
        try DataAccess.require(operation, function)
        guard let transaction = CurrentTransaction.current else { throw RhaiError(.runtime, "\(function): no circle state here") }
        guard case .string(let path) = value else {
            throw RhaiError(.mismatchDataType, "\(function) expects a string path, got \(value.typeName)")
        }
        let components = try PeerNamespace.components(of: path)
        if operation != .dataRead, CircleModules.isReserved(components) {
            let refusal = "\(function): '\(path)' is in the circle's \(CircleModules.folder)/ folder, which scripts cannot change (its operator puts modules there: circles modules put)"
            DataAccess.stop(ScriptFailure(kind: .denied, message: refusal))
            throw RhaiError(.forbidden, refusal)
        }
        return (transaction, components.joined(separator: "/"))
    }

    /// Runs a state operation; a limit becomes `ErrorDataTooLarge` (a `limit` failure), a store failure a runtime error.
    private static func state<R>(_ body: () throws(StateError) -> R) throws(RhaiError) -> R {
        do {
            return try body()
        } catch .limit(let message) {
            throw RhaiError(.dataTooLarge, message)
        } catch {
            throw RhaiError(.runtime, error.description)
        }
    }
}
