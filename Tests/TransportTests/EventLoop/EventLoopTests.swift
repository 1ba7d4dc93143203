#if canImport(Glibc)
import Glibc
#endif
import Actors
import Synchronization
import TestSupport
import Testing
@testable import Transport
import Threads

@Suite struct EventLoopTests {
    /// Current pthread as a number, to tell threads apart.
    static func thread() -> UInt { UInt(bitPattern: Int(bitPattern: pthread_self())) }

    @Test func performRunsOnTheCallingThreadWhenTheLoopIsIdleAndQueuesOtherwise() async throws {
        let loop = EventLoop()
        defer { loop.shutdown() }
        let loopThread = await withCheckedContinuation { continuation in loop.execute { continuation.resume(returning: Self.thread()) } }
        // Idle loop: the job runs at once, here, holding the loop's turn.
        let here = await onDedicatedThread { () -> (caller: UInt, ran: UInt, inLoop: Bool) in
            try? Wait.blockingUntil(timeout: 10, "the loop to park") { loop.isParked }
            let ran = Mutex<(UInt, Bool)>((0, false))
            loop.perform { ran.withLock { $0 = (Self.thread(), loop.inLoop) } }
            let (thread, inLoop) = ran.withLock { $0 }
            return (Self.thread(), thread, inLoop)
        }
        #expect(here.ran == here.caller && here.inLoop)
        // Busy loop: the job waits its turn and runs on the loop thread, after the busy job.
        let order = Mutex<[String]>([])
        let busy = OneShot<Void>()
        let release = OneShot<Void>()
        loop.execute {
            busy.fulfil(())
            release.wait()
            order.withLock { $0.append("busy") }
        }
        let performed = await onDedicatedThread { () -> UInt in
            busy.wait()
            let ran = OneShot<UInt>()
            loop.perform { order.withLock { $0.append("performed") }; ran.fulfil(Self.thread()) }
            release.fulfil(())
            return ran.wait()
        }
        #expect(performed == loopThread)
        #expect(order.withLock { $0 } == ["busy", "performed"])
    }

    @Test func aTimerScheduledByAPerformedJobFiresWhileTheLoopSleeps() async throws {
        let loop = EventLoop()
        defer { loop.shutdown() }
        let fired = Atomic<Bool>(false)
        try await onDedicatedThread {
            try Wait.blockingUntil(timeout: 10, "the loop to park") { loop.isParked }
            // The loop sleeps without a deadline; the timer armed from this thread must wake it.
            loop.perform { loop.schedule(after: 0.05) { fired.store(true, ordering: .relaxed) } }
            try Wait.blockingUntil(timeout: 10, "the timer to fire") { fired.load(ordering: .relaxed) }
        }
    }
}

@Suite struct EventLoopExecutorTests {
    /// Answers whether it handles its messages on `loop`'s thread.
    final class Where: ActorBehavior {
        enum Message: Sendable { case onLoop(Reply<Bool>) }
        let loop: EventLoop
        init(loop: EventLoop) { self.loop = loop }
        func receive(_ message: Message, context: ActorContext<Message>) async throws {
            guard case .onLoop(let reply) = message else { return }
            await Task.yield()
            reply.succeed(loop.inLoop)
        }
    }

    @Test func anActorPreferringALoopHandlesEveryMessageOnIt() async throws {
        let loop = EventLoop()
        defer { loop.shutdown() }
        let system = ActorSystem()
        let onLoop = system.spawn(executor: loop) { Where(loop: loop) }
        let elsewhere = system.spawn { Where(loop: loop) }
        for _ in 0..<20 {
            #expect(try await onLoop.ask(timeout: .seconds(60)) { .onLoop($0) })
            #expect(try await !elsewhere.ask(timeout: .seconds(60)) { .onLoop($0) })
        }
    }
}
