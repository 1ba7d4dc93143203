#if canImport(Glibc)
import ActorsTestKit
import Glibc
#endif
import Actors
import Testing
@testable import Supervision

final class Worker: ActorBehavior {
    enum Message: Sendable {
        case add(Int)
        case get(Reply<Int>)
        case crash
    }
    var total = 0
    func receive(_ message: Message, context: ActorContext<Message>) async throws {
        switch message {
        case .add(let value): total += value
        case .get(let reply): reply.succeed(total)
        case .crash: throw Crash()
        }
    }
}

@Suite struct SupervisorTreeTests {
    let harness = Harness()
    let system = ActorSystem(name: "test")

    @Test func aSupervisedActorRestartsWithFreshStateBehindTheSameReference() async throws {
        let worker = system.prepare("worker") { Worker() }
        let supervisor = Supervisor("sup", backoff: .none, children: [.actor("worker", worker)])
        let running = Task { try await supervisor.run() }
        worker.tell(.add(5))
        #expect(try await worker.ask(timeout: .seconds(60)) { .get($0) } == 5)
        worker.tell(.crash)
        worker.tell(.add(2))
        #expect(try await worker.ask(timeout: .seconds(60)) { .get($0) } == 2)
        #expect(supervisor.snapshot().children[0].restarts == 1)
        #expect(supervisor.snapshot().children[0].mailboxDepth == 0)
        supervisor.stop()
        try await running.value
        #expect(worker.status == .stopped)
    }

    @Test func aDynamicPoolAcceptsChildrenUpToItsLimitAndForgetsEndedOnes() async throws {
        let pool = Supervisor("sessions", strategy: .dynamic(maxChildren: 2), backoff: .none)
        let running = Task { try await pool.run() }
        try await pool.startChild(harness.spec("s1", restart: .temporary))
        try await pool.startChild(harness.spec("s2", restart: .temporary))
        await #expect(throws: SupervisorError.poolFull(supervisor: "sessions", limit: 2)) {
            try await pool.startChild(harness.spec("s3", restart: .temporary))
        }
        harness.send(.finish, to: "s1")
        try await harness.until("s1 removed") { pool.childCount == 1 }
        try await pool.startChild(harness.spec("s3", restart: .temporary))
        #expect(pool.snapshot().children.map(\.id) == ["s2", "s3"])
        pool.stop()
        try await running.value
        await #expect(throws: SupervisorError.notAccepting(supervisor: "sessions")) {
            try await pool.startChild(harness.spec("late", restart: .temporary))
        }
    }

    @Test func aNestedSupervisorThatGivesUpIsRestartedByItsParent() async throws {
        let inner: @Sendable () -> Supervisor = { [harness] in
            Supervisor("inner", intensity: RestartIntensity(maxRestarts: 0, period: 60), backoff: .none, children: [harness.spec("leaf")])
        }
        let root = Supervisor("root", backoff: .none, children: [harness.spec("sibling"), .supervisor("inner", inner)])
        let running = Task { try await root.run() }
        try await harness.until("leaf running") { harness.isRunning("leaf") }
        #expect(root.snapshot().children[1].subtree?.children.map(\.id) == ["leaf"])
        harness.send(.fail, to: "leaf")
        try await harness.until("inner restarted") { harness.starts("leaf") == 2 && harness.isRunning("leaf") }
        #expect(harness.starts("sibling") == 1)
        #expect(root.snapshot().children.map(\.restarts) == [0, 1])
        root.stop()
        try await running.value
    }

    @Test func theRootReportsEscalationThroughItsHook() async throws {
        let root = Supervisor("root", intensity: RestartIntensity(maxRestarts: 0, period: 60), backoff: .none,
                              children: [harness.spec("a")])
        let escalated = TestProbe<String>(system: system)
        let running = Task { await root.runAsRoot(signals: [], onEscalation: { escalated.ref.tell("\($0)") }) }
        try await harness.until("a running") { harness.isRunning("a") }
        harness.send(.fail, to: "a")
        let message = try await escalated.expectMessage(timeout: .seconds(60))
        #expect(message.hasPrefix("supervisor root gave up: child a"))
        await running.value
    }
}

@Suite struct SupervisorSignalTests {
    @Test func aSignalStopsTheRootGracefullyInReverseOrder() async throws {
        let harness = Harness()
        let root = Supervisor("root", backoff: .none, children: [harness.spec("first"), harness.spec("second")])
        let received = TestProbe<Int32>(system: ActorSystem(name: "signals"))
        let running = Task { await root.runAsRoot(signals: [SIGUSR1], onSignal: { received.ref.tell($0) }) }
        try await harness.until("children running") { harness.isRunning("second") }
        kill(getpid(), SIGUSR1)
        try await received.expectMessage(SIGUSR1)
        await running.value
        #expect(harness.log.suffix(2) == ["end second finish", "end first finish"])
        #expect(root.snapshot().state == .stopped)
    }
}
