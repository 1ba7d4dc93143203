import CirclesCore
import Rhai
import Synchronization

/// A Rhai engine configured for one circle: its limits, its constants and its data functions.
/// Compiled scripts and modules are kept in `ScriptCache.shared` (bounded by bytes), so a script played
/// again, or a module imported again, is not parsed again.
final class CircleEngine: Sendable {
    let namespace: PeerNamespace
    let policy: CirclePolicy
    let engine = Engine()
    private let cache = ScriptCache.shared
    private let cacheId = ScriptCache.shared.makeEngineId()

    init(namespace: PeerNamespace, policy: CirclePolicy) {
        self.namespace = namespace
        self.policy = policy
        let limits = policy.limits
        engine.limits = Limits(maxOperations: limits.maxOperations, maxCallDepth: limits.maxCallDepth,
                               maxExpressionDepth: limits.maxExpressionDepth, maxStringSize: limits.maxStringSize,
                               maxArraySize: limits.maxArraySize, maxMapSize: limits.maxMapSize,
                               maxMemory: limits.maxMemory, maxOutput: limits.maxOutput)
        let circle = namespace.root.split(separator: "/").last.map(String.init) ?? ""
        engine.registerConstant("CIRCLE_PUBLIC_KEY", .string(circle))
        engine.registerConstant("CONTEXT_ID", .string(circle))
        engine.registerConstant("DB_PATH", .string(circle))  // relative to the node's data directory: the node's paths stay private
        registerDataFunctions()
        let modules = policy.modules
        engine.moduleResolver = { name in CircleModules.resolve(name, operatorModules: modules) }
        // A module is kept like a script, by its source: a changed module is another entry.
        let (cache, cacheId) = (self.cache, self.cacheId)
        engine.moduleCache = { source, compile throws(RhaiError) in try cache.ast(engine: cacheId, script: source, compile: compile) }
    }

    /// Compiles (or reuses) and runs the task's script on the calling dedicated thread.
    func execute(_ task: ScriptTask, cancellation: Cancellation, timeout: Double, stackSize: Int) -> TaskResult {
        let logs = LogCollector()
        do throws(RhaiError) {
            let ast = try cache.ast(engine: cacheId, script: task.script) { () throws(RhaiError) in
                try engine.compileOnCurrentThread(task.script, stackSize: stackSize)
            }
            let scope = Scope(keepsVariables: false)
            scope.pushConstant("CALLER_PUBLIC_KEY", .string(task.caller))
            scope.pushConstant("CALLER_ID", .string(task.caller))
            for (name, value) in task.constants { scope.pushConstant(name, Dynamic(json: value)) }
            let value = try engine.runOnCurrentThread(ast, scope: scope, output: OutputSink(logs.append),
                                                      cancellation: cancellation, stackSize: stackSize)
            let text = try value.text(limit: policy.limits.maxOutput > 0 ? policy.limits.maxOutput : .max)
            return TaskResult(taskId: task.id, outcome: .success(text), logs: logs.lines)
        } catch {
            return TaskResult(taskId: task.id, outcome: .failure(Self.failure(error, timeout: timeout)), logs: logs.lines)
        }
    }

    deinit { cache.removeEngine(cacheId) }

    static func failure(_ error: RhaiError, timeout: Double) -> ScriptFailure {
        let kind: ScriptFailure.Kind
        switch error.kind {
        case .parsing: kind = .parse
        case .tooManyOperations, .stackOverflow, .dataTooLarge: kind = .limit
        case .terminated: kind = .timeout
        default: kind = .runtime
        }
        let message = error.kind == .terminated ? "script exceeded its \(timeout) s time limit" : error.message
        return ScriptFailure(kind: kind, message: message, line: error.line > 0 ? error.line : nil,
                             column: error.column > 0 ? error.column : nil)
    }
}
