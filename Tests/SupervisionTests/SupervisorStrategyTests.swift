import Actors
import Testing
@testable import Supervision

@Suite struct SupervisorStrategyTests {
    let harness = Harness()

    func supervise(_ strategy: Strategy, _ ids: [String], intensity: RestartIntensity = RestartIntensity(maxRestarts: 10, period: 60))
        -> (Supervisor, Task<Void, any Error>) {
        let supervisor = Supervisor("sup", strategy: strategy, intensity: intensity, backoff: .none,
                                    children: ids.map { harness.spec($0) })
        return (supervisor, Task { try await supervisor.run() })
    }

    @Test func startsInOrderAndStopsInReverseOrder() async throws {
        let (supervisor, running) = supervise(.oneForOne, ["a", "b", "c"])
        try await harness.until("all started") { ["a", "b", "c"].allSatisfy(harness.isRunning) }
        #expect(harness.log == ["start a", "start b", "start c"])
        supervisor.stop()
        try await running.value
        #expect(harness.log.suffix(3) == ["end c finish", "end b finish", "end a finish"])
        #expect(supervisor.snapshot().state == .stopped)
    }

    @Test func oneForOneRestartsOnlyTheFailedChild() async throws {
        let (supervisor, running) = supervise(.oneForOne, ["a", "b", "c"])
        try await harness.until("started") { harness.isRunning("c") }
        harness.send(.fail, to: "b")
        try await harness.until("b restarted") { harness.starts("b") == 2 && harness.isRunning("b") }
        #expect(harness.starts("a") == 1 && harness.starts("c") == 1)
        #expect(supervisor.snapshot().children.map(\.restarts) == [0, 1, 0])
        supervisor.stop()
        try await running.value
    }

    @Test func everyRestartIsReportedWithItsCause() async throws {
        let harness = self.harness
        let supervisor = Supervisor("sup", strategy: .oneForOne, intensity: RestartIntensity(maxRestarts: 10, period: 60), backoff: .none,
                                    children: [harness.spec("a"), harness.spec("b")],
                                    onRestart: { child, failure in harness.record("restart \(child): \(failure)") })
        let running = Task { try await supervisor.run() }
        try await harness.until("started") { harness.isRunning("b") }
        harness.send(.fail, to: "b")
        try await harness.until("b restarted") { harness.starts("b") == 2 && harness.isRunning("b") }
        #expect(harness.log.filter { $0.hasPrefix("restart ") } == ["restart b: crash"])
        supervisor.stop()
        try await running.value
        #expect(harness.log.filter { $0.hasPrefix("restart ") }.count == 1)
    }

    @Test func oneForAllRestartsEveryChild() async throws {
        let (supervisor, running) = supervise(.oneForAll, ["a", "b", "c"])
        try await harness.until("started") { harness.isRunning("c") }
        harness.clearLog()
        harness.send(.fail, to: "b")
        try await harness.until("all restarted") { ["a", "b", "c"].allSatisfy { harness.starts($0) == 2 && harness.isRunning($0) } }
        #expect(harness.log == ["end b fail", "end c finish", "end a finish", "start a", "start b", "start c"])
        supervisor.stop()
        try await running.value
    }

    @Test func restForOneRestartsTheFailedChildAndTheOnesAfterIt() async throws {
        let (supervisor, running) = supervise(.restForOne, ["a", "b", "c"])
        try await harness.until("started") { harness.isRunning("c") }
        harness.clearLog()
        harness.send(.fail, to: "b")
        try await harness.until("b and c restarted") { harness.starts("c") == 2 && harness.isRunning("c") }
        #expect(harness.starts("a") == 1)
        #expect(harness.log == ["end b fail", "end c finish", "start b", "start c"])
        supervisor.stop()
        try await running.value
    }

    @Test func restartTypesDecideWhetherAnEndedChildComesBack() async throws {
        let supervisor = Supervisor("sup", backoff: .none, children: [
            harness.spec("permanent", restart: .permanent), harness.spec("transient", restart: .transient),
            harness.spec("temporary", restart: .temporary),
        ])
        let running = Task { try await supervisor.run() }
        try await harness.until("started") { harness.isRunning("temporary") }
        harness.send(.finish, to: "permanent")
        harness.send(.finish, to: "transient")
        harness.send(.fail, to: "temporary")
        try await harness.until("permanent back") { harness.starts("permanent") == 2 && harness.isRunning("permanent") }
        harness.send(.fail, to: "transient")
        try await harness.until("settled") {
            let states = supervisor.snapshot().children.map(\.state)
            return states == [.running, .stopped, .stopped]
        }
        #expect(harness.starts("transient") == 1)
        #expect(harness.starts("temporary") == 1)
        supervisor.stop()
        try await running.value
    }

    @Test func tooManyRestartsStopTheChildrenAndEscalate() async throws {
        let (supervisor, running) = supervise(.oneForOne, ["a", "b"], intensity: RestartIntensity(maxRestarts: 2, period: 60))
        for round in 1...3 {
            try await harness.until("b run \(round)") { harness.starts("b") == round && harness.isRunning("b") }
            harness.send(.fail, to: "b")
        }
        await #expect(throws: SupervisorError.restartIntensityExceeded(supervisor: "sup", child: "b", restarts: 2, period: 60,
                                                                    lastFailure: "crash")) { try await running.value }
        #expect(harness.log.last == "end a finish")
        #expect(supervisor.snapshot().state == .failed)
    }
}
