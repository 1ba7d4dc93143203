/// The modules a run has loaded, by path: shared by the run's interpreter and those of its modules, so
/// a module runs once per run however many modules import it, and the run's module cap counts them all.
final class LoadedModules {
    var byPath: [String: ModuleInstance] = [:]
}
