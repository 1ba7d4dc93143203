import ActorsTestKit
import Testing
@testable import Actors

final class Parent: ActorBehavior {
    enum Message: Sendable {
        case spawnChild(Reply<ActorRef<Counter.Message>>)
        case watch(ActorRef<Counter.Message>)
        case terminated(String)
    }

    let probe: ActorRef<String>
    init(probe: ActorRef<String>) { self.probe = probe }

    func receive(_ message: Message, context: ActorContext<Message>) async throws {
        switch message {
        case .spawnChild(let reply):
            let probe = self.probe
            reply.succeed(context.spawn("child") { Counter(probe: probe) })
        case .watch(let other):
            context.watch(other) { .terminated("\($0)") }
        case .terminated(let reason):
            probe.tell("terminated: \(reason)")
        }
    }
}

@Suite struct ActorLifecycleTests {
    let system = ActorSystem(name: "test")

    @Test func hooksRunInOrder() async throws {
        let probe = TestProbe<String>(system: system)
        let counter = system.spawn { Counter(probe: probe.ref) }
        counter.tell(.add(2))
        #expect(try await counter.ask(timeout: .seconds(60)) { .get($0) } == 2)
        counter.lifecycle.stop()
        #expect(await counter.lifecycle.join().isFailure == false)
        try await probe.expectMessage("started")
        try await probe.expectMessage("stopped at 2")
        #expect(counter.status == .stopped)
    }

    @Test func aSupervisedRestartKeepsTheReferenceAndTheWaitingMessages() async throws {
        let probe = TestProbe<String>(system: system)
        let counter = system.prepare { Counter(probe: probe.ref) }
        counter.lifecycle.setSupervised()
        counter.lifecycle.start()
        counter.tell(.add(1))
        counter.tell(.fail)
        counter.tell(.add(10))
        let exit = await counter.lifecycle.join()
        #expect(exit.isFailure)
        #expect(counter.status == .failed)
        counter.lifecycle.restart(after: Boom())
        #expect(try await counter.ask(timeout: .seconds(60)) { .get($0) } == 10)
        #expect(counter.lifecycle.restartCount == 1)
        try await probe.expectMessage("started")
        try await probe.expectMessage("restarted after boom")
    }

    @Test func childrenStopWithTheirParentAndWatchersHearIt() async throws {
        let probe = TestProbe<String>(system: system)
        let parent = system.spawn { Parent(probe: probe.ref) }
        let child = try await parent.ask(timeout: .seconds(60)) { .spawnChild($0) }
        try await probe.expectMessage("started")
        let watcher = system.spawn { Parent(probe: probe.ref) }
        watcher.tell(.watch(child))
        child.tell(.add(3))
        #expect(try await child.ask(timeout: .seconds(60)) { .get($0) } == 3)
        parent.lifecycle.stop()
        _ = await parent.lifecycle.join()
        #expect(child.status == .stopped)
        let events = [try await probe.expectMessage(), try await probe.expectMessage()]
        #expect(Set(events) == ["stopped at 3", "terminated: stopped"])
    }

    @Test func theRegistryFindsLiveActorsByName() async throws {
        let counter = system.spawn("counter") { Counter() }
        try system.register(counter, as: "counter")
        #expect(throws: RegistryError.nameTaken("counter")) { try system.register(counter, as: "counter") }
        let found = system.lookup("counter", as: Counter.Message.self)
        #expect(found == counter)
        #expect(system.lookup("counter", as: String.self) == nil)
        counter.lifecycle.stop()
        _ = await counter.lifecycle.join()
        try await Self.until { system.lookup("counter", as: Counter.Message.self) == nil }
    }

    @Test func theDriverRunsABehaviorByHand() async throws {
        let driver = try await BehaviorDriver(Counter())
        try await driver.send(.add(4))
        #expect(driver.behavior.total == 4)
        #expect(try await driver.ask { .get($0) } == 4)
        await #expect(throws: Boom.self) { try await driver.send(.fail) }
    }

    static func until(_ condition: () -> Bool) async throws {
        for _ in 0..<100_000 where !condition() { await Task.yield() }
        if !condition() { throw TestKitError("condition never held") }
    }
}
