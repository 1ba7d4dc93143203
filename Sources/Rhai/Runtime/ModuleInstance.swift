/// An imported module while a run uses it: the module script's own interpreter (its top-level
/// variables stay on that interpreter's stack, so its functions see them through `global::`), what it
/// exports, and its public functions.
final class ModuleInstance {
    let interp: Interp
    let variables: [String: Dynamic]

    init(interp: Interp, variables: [String: Dynamic]) {
        self.interp = interp
        self.variables = variables
    }

    func function(_ name: String, arity: Int) -> ScriptFunction? {
        guard let f = interp.program.scriptFunction(name, arity: arity), !f.isPrivate, f.thisType == nil else { return nil }
        return f
    }
}
