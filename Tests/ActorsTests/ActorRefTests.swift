import ActorsTestKit
import Testing
@testable import Actors

@Suite struct ActorRefTests {
    let system = ActorSystem(name: "test")

    @Test func messagesAreHandledInOrderOneAtATime() async throws {
        let counter = system.spawn { Counter() }
        for value in 1...1000 { counter.tell(.add(value)) }
        #expect(try await counter.ask(timeout: .seconds(60)) { .get($0) } == 500_500)
    }

    @Test func aHandlerThatAwaitsDoesNotLetTheNextMessageIn() async throws {
        let probe = TestProbe<String>(system: system)
        let counter = system.spawn { Counter(probe: probe.ref) }
        try await probe.expectMessage("started")
        let gate = Gate(), entered = Gate()
        counter.tell(.block(gate, entered: entered))
        counter.tell(.add(5))
        counter.tell(.report("after"))
        await entered.wait()
        // The handler is suspended; the next messages wait in the mailbox.
        #expect(counter.mailboxDepth == 2)
        try await probe.expectNoMessage(within: .milliseconds(50))
        gate.open()
        try await probe.expectMessage("unblocked at 0")
        try await probe.expectMessage("after 5")
    }

    @Test func askTimesOutWhenNoAnswerComes() async throws {
        let counter = system.spawn { Counter() }
        let gate = Gate(), entered = Gate()
        counter.tell(.block(gate, entered: entered))
        await #expect(throws: AskError.timedOut) { try await counter.ask(timeout: .milliseconds(50)) { .get($0) } }
        gate.open()
        #expect(try await counter.ask(timeout: .seconds(60)) { .get($0) } == 0)
    }

    @Test func askFailsWhenTheHandlerThrowsDropsTheReplyOrTheActorStopped() async throws {
        let probe = TestProbe<String>(system: system)
        let failing = system.spawn { Counter(probe: probe.ref) }
        await #expect(throws: AskError.noReply) { try await failing.ask(timeout: .seconds(60)) { .ignore($0) } }
        failing.tell(.fail)
        try await probe.expectMessage("started")
        try await probe.expectMessage("stopped at 0")
        #expect(await failing.lifecycle.join().isFailure)
        await #expect(throws: AskError.actorStopped) { try await failing.ask(timeout: .seconds(60)) { .get($0) } }
        #expect(failing.tell(.add(1)) == .stopped)
    }

    @Test func failFastMailboxesRefuseWhenFull() async throws {
        let counter = system.spawn(mailbox: MailboxOptions(capacity: 2, overflow: .failFast)) { Counter() }
        let gate = Gate(), entered = Gate()
        counter.tell(.block(gate, entered: entered))
        await entered.wait()
        #expect(counter.tell(.add(1)) == .enqueued)
        #expect(counter.tell(.add(2)) == .enqueued)
        #expect(counter.tell(.add(4)) == .full)
        await #expect(throws: AskError.mailboxFull) { try await counter.ask(timeout: .seconds(60)) { .get($0) } }
        gate.open()
        try await ActorLifecycleTests.until { counter.mailboxDepth == 0 }
        #expect(try await counter.ask(timeout: .seconds(60)) { .get($0) } == 3)
    }

    @Test func dropOldestMailboxesDiscardTheOldest() async throws {
        let counter = system.spawn(mailbox: MailboxOptions(capacity: 2, overflow: .dropOldest)) { Counter() }
        let gate = Gate(), entered = Gate()
        counter.tell(.block(gate, entered: entered))
        await entered.wait()
        #expect(counter.tell(.add(1)) == .enqueued)
        #expect(counter.tell(.add(2)) == .enqueued)
        #expect(counter.tell(.add(4)) == .enqueuedDroppingOldest)
        gate.open()
        try await ActorLifecycleTests.until { counter.mailboxDepth == 0 }
        #expect(try await counter.ask(timeout: .seconds(60)) { .get($0) } == 6)
    }

    @Test func suspendingMailboxesMakeSendersWaitForRoom() async throws {
        let counter = system.spawn(mailbox: MailboxOptions(capacity: 1, overflow: .suspend)) { Counter() }
        let gate = Gate(), entered = Gate()
        counter.tell(.block(gate, entered: entered))
        await entered.wait()
        #expect(counter.tell(.add(1)) == .enqueued)
        #expect(counter.tell(.add(2)) == .full)
        let sender = Task { await counter.send(.add(2)) }
        gate.open()
        #expect(await sender.value == .enqueued)
        try await ActorLifecycleTests.until { counter.mailboxDepth == 0 }
        #expect(try await counter.ask(timeout: .seconds(60)) { .get($0) } == 3)
    }
}
