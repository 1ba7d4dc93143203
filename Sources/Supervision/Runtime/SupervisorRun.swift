/// A run of a nested supervisor.
final class SupervisorRun: RunningChild {
    let supervisor: Supervisor
    private let task: Task<ChildExit, Never>

    init(_ supervisor: Supervisor) {
        self.supervisor = supervisor
        task = Task {
            do throws(SupervisorError) {
                try await supervisor.run()
                return .normal
            } catch {
                return .failed("\(error)")
            }
        }
    }

    func join() async -> ChildExit { await task.value }
    func stop() async { supervisor.stop() }
    func cancel() { task.cancel() }
    var subtree: SupervisorSnapshot? { supervisor.snapshot() }
}
