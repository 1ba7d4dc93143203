extension Interp {
    /// Modules one import may nest (a module importing a module …).
    static let maxImportDepth = 16
    /// Distinct modules a run may import when `Limits.maxModules` is 0.
    static let hardModuleCap = 1_024

    /// Runs `import path as alias`: resolves the source with the embedder's resolver, compiles it with
    /// this run's limits and natives (or takes it from the embedder's module cache), runs its top level
    /// once per run and path, and binds it to `alias`.
    func importModule(_ pathValue: Dynamic, alias: String?, _ pos: Pos) throws(RhaiError) {
        guard case .string(let path) = pathValue.flat else {
            throw RhaiError(.mismatchDataType, "Module path must be a string, not \(pathValue.typeName)", at: pos)
        }
        let instance: ModuleInstance
        if let loaded = loadedModules.byPath[path] {
            instance = loaded
        } else {
            guard let resolver = program.modules.resolver, let source = resolver(path) else {
                throw RhaiError(.moduleNotFound, "Module not found: \(path)", at: pos)
            }
            let cap = limits.maxModules > 0 ? limits.maxModules : Interp.hardModuleCap
            if loadedModules.byPath.count >= cap {
                throw RhaiError(.tooManyModules, "Too many modules imported (more than \(cap))", at: pos)
            }
            if importing.contains(path) || importing.count >= Interp.maxImportDepth {
                throw RhaiError(.moduleNotFound, "Module '\(path)' imports itself or nests too deeply", at: pos)
            }
            let ast: AST
            do throws(RhaiError) {
                let (limits, program, stackLimit) = (limits, program, stackLimit)
                let compile = { () throws(RhaiError) -> AST in
                    try Engine.compile(source, limits: limits, natives: program.natives, constants: program.constants,
                                       modules: program.modules, stackLimit: stackLimit)
                }
                if let cache = program.modules.cache {
                    ast = try cache(source, compile)
                } else {
                    ast = try compile()
                }
            } catch {
                throw RhaiError(.moduleNotFound, "Error in module '\(path)': \(error)", at: pos)
            }
            let module = ast.program
            let sub = Interp(program: module, limits: limits, scope: Scope(keepsVariables: false), output: output,
                             cancellation: cancellation, stackLimit: stackLimit)
            sub.importing = importing + [path]
            sub.loadedModules = loadedModules
            sub.ops = ops
            sub.ensure(module.main.slotCount + 1)
            sub.sp = module.main.slotCount
            defer { ops = sub.ops; madeTags = madeTags || sub.madeTags }
            _ = try module.main.code(sub)
            sub.flow = .none
            var variables: [String: Dynamic] = [:]
            for (name, slot) in module.exports { variables[name] = sub.stack[slot].flat }
            var subModules: [String: ModuleInstance] = [:]
            for name in module.subModules { subModules[name] = sub.modules[name] }
            instance = ModuleInstance(interp: sub, variables: variables, subModules: subModules)
            loadedModules.byPath[path] = instance
        }
        if let alias { modules[alias] = instance }
    }

    /// The module an alias names, or a sub-module a path names (`a::b`: the module `a` imported as `b`).
    func module(_ alias: String, _ pos: Pos) throws(RhaiError) -> ModuleInstance {
        if let m = modules[alias] { return m }
        let parts = alias.split(separator: "::")
        guard parts.count > 1, var m = modules[String(parts[0])] else {
            throw RhaiError(.moduleNotFound, "Module not found: \(alias)", at: pos)
        }
        for name in parts.dropFirst() {
            guard let next = m.subModules[String(name)] else { throw RhaiError(.moduleNotFound, "Module not found: \(alias)", at: pos) }
            m = next
        }
        return m
    }

    /// `alias::name(args)`: runs on the module's interpreter, counting operations with this run's.
    func callModule(_ alias: String, _ name: String, _ args: [Dynamic], _ pos: Pos) throws(RhaiError) -> Dynamic {
        let m = try module(alias, pos)
        guard let f = m.function(name, arity: args.count) else {
            throw RhaiError(.functionNotFound, "Function not found: \(alias)::\(name) with \(args.count) arguments", at: pos)
        }
        let sub = m.interp
        sub.ops = ops
        sub.callDepth = callDepth
        defer { ops = sub.ops; madeTags = madeTags || sub.madeTags }
        var this = Dynamic.unit
        return try sub.callScript(f, this: &this, args: args, captured: [], pos: pos, thisState: .unbound)
    }

    func moduleVariable(_ alias: String, _ name: String, _ pos: Pos) throws(RhaiError) -> Dynamic {
        guard let v = try module(alias, pos).variables[name] else {
            throw RhaiError(.variableNotFound, "Variable not found: \(alias)::\(name)", at: pos)
        }
        return v
    }
}
