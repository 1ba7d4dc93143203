/// An imported module while a run uses it: the module script's own interpreter (its top-level
/// variables stay on that interpreter's stack, so its functions see them through `global::`), what it
/// exports, and its public functions.
final class ModuleInstance {
    let interp: Interp
    let variables: [String: Dynamic]
    /// The modules it imported at its global level, by the names it gave them.
    let subModules: [String: ModuleInstance]

    init(interp: Interp, variables: [String: Dynamic], subModules: [String: ModuleInstance] = [:]) {
        self.interp = interp
        self.variables = variables
        self.subModules = subModules
    }

    func function(_ name: String, arity: Int) -> ScriptFunction? {
        guard let f = interp.program.scriptFunction(name, arity: arity), !f.isPrivate, f.thisType == nil else { return nil }
        return f
    }
}
