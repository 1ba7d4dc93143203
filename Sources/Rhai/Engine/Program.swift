/// A compiled script: its main body, its functions and the natives it was compiled against.
final class Program: Sendable {
    let main: ScriptFunction
    let functions: [String: [ScriptFunction]]
    let topLevel: [FunctionContext.Binding]
    let natives: NativeTable
    let constants: [String: Dynamic]
    /// What the script exports when imported: name and top-level slot.
    let exports: [(name: String, slot: Int)]
    /// Modules the script imports at global level: its sub-modules (`name::module::…`) when imported.
    let subModules: Set<String>
    /// Where `import` finds module sources (none: every import is `ErrorModuleNotFound`) and keeps compiled ones.
    let modules: ModuleHooks

    init(main: ScriptFunction, functions: [String: [ScriptFunction]], topLevel: [FunctionContext.Binding],
         natives: NativeTable, constants: [String: Dynamic], exports: [(name: String, slot: Int)] = [],
         subModules: Set<String> = [], modules: ModuleHooks = ModuleHooks()) {
        self.exports = exports
        self.subModules = subModules
        self.modules = modules
        self.main = main
        self.functions = functions
        self.topLevel = topLevel
        self.natives = natives
        self.constants = constants
    }

    /// Compiled functions reference each other (and themselves) through their code, a cycle that
    /// would keep every compiled script alive forever: it is broken when the program goes.
    deinit {
        main.code = ScriptFunction.released
        for list in functions.values { for f in list { f.code = ScriptFunction.released } }
    }

    func scriptFunction(_ name: String, arity: Int) -> ScriptFunction? {
        guard let list = functions[name] else { return nil }
        return list.first { $0.paramCount == arity && $0.thisType == nil } ?? list.first { $0.paramCount == arity }
    }

    /// The script function a function pointer names: with a bound `this`, a method typed for it first
    /// (as `method`); without one, an untyped function only.
    func pointedFunction(_ name: String, arity: Int, this: Dynamic?) -> ScriptFunction? {
        guard let list = functions[name] else { return nil }
        if let this, list.contains(where: { $0.paramCount == arity && $0.thisType != nil }) {
            return method(name, arity: arity, thisType: this.typeName)
        }
        return list.first { $0.paramCount == arity && $0.thisType == nil }
    }

    func method(_ name: String, arity: Int, thisType: String) -> ScriptFunction? {
        guard let list = functions[name] else { return nil }
        return list.first { $0.paramCount == arity && $0.thisType == thisType }
            ?? list.first { $0.paramCount == arity && $0.thisType == nil }
    }
}

/// A compiled script, reusable and shareable between threads.
public struct AST: Sendable {
    let program: Program
}
