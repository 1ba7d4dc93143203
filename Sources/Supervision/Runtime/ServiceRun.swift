/// A run of a `Service` in its own task.
final class ServiceRun: RunningChild {
    private let service: any Service
    private let task: Task<ChildExit, Never>

    init(_ service: any Service) {
        self.service = service
        task = Task {
            do {
                try await service.run()
                return .normal
            } catch is CancellationError {
                return .normal
            } catch {
                return .failed("\(error)")
            }
        }
    }

    func join() async -> ChildExit { await task.value }
    func stop() async { await service.shutdown() }
    func cancel() { task.cancel() }
}
