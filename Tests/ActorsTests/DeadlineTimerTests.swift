import Synchronization
import TestSupport
import Testing
@testable import Threads
@testable import Actors

@Suite struct DeadlineTimerTests {
    @Test(.timeLimit(.minutes(1))) func actionsRunInDeadlineOrderAndAnEarlierDeadlineWakesTheSleepingThread() async throws {
        let timer = DeadlineTimer(name: "test-timer")
        let order = Mutex<[Int]>([])
        let done = OneShot<Void>()
        // The thread sleeps until the far deadline; the ones scheduled later but due sooner must
        // wake it, and run in deadline order whatever the order they were scheduled in.
        timer.schedule(after: 3600) { order.withLock { $0.append(3600) } }
        for (index, seconds) in [0.3, 0.1, 0.2].enumerated() {
            timer.schedule(after: seconds) {
                order.withLock { $0.append(index) }
                if order.withLock({ $0.count }) == 3 { done.fulfil(()) }
            }
        }
        await onDedicatedThread { done.wait() }
        #expect(order.withLock { $0 } == [1, 2, 0])
        #expect(timer.pending == 1)
    }

    @Test func anAskWithoutAnAnswerTimesOutThroughTheSharedTimer() async throws {
        let system = ActorSystem()
        let silent = system.spawn { Silent() }
        let started = SystemTime.monotonic()
        await #expect(throws: AskError.timedOut) {
            _ = try await silent.ask(timeout: .milliseconds(200)) { Silent.Message.hold($0) }
        }
        #expect(SystemTime.monotonic() - started >= 0.2)
    }

    /// Keeps every reply unanswered.
    final class Silent: ActorBehavior {
        enum Message: Sendable { case hold(Reply<Int>) }
        var held: [Reply<Int>] = []
        func receive(_ message: Message, context: ActorContext<Message>) async throws {
            if case .hold(let reply) = message { held.append(reply) }
        }
    }
}

@Suite struct DeadlineTimerCancelTests {
    final class Captured: Sendable {
        let freed: OneShot<Void>
        init(_ freed: OneShot<Void>) { self.freed = freed }
        deinit { freed.fulfil(()) }
    }

    @Test func aCancelledActionNeverRunsAndWhatItCapturedIsFreedAtOnce() async throws {
        let timer = DeadlineTimer(name: "test-cancel")
        let ran = Mutex(0)
        let freed = OneShot<Void>()
        var captured: Captured? = Captured(freed)
        let scheduled = timer.schedule(after: 0.05) { [captured] in _ = captured; ran.withLock { $0 += 1 } }
        captured = nil
        scheduled.cancel()
        // Freed by the cancel itself, long before the deadline would have come.
        freed.wait()
        scheduled.cancel()
        #expect(timer.pending == 0)
        // A later deadline still fires, after the cancelled one's time has passed.
        let done = OneShot<Void>()
        timer.schedule(after: 0.1) { done.fulfil(()) }
        await onDedicatedThread { done.wait() }
        #expect(ran.withLock { $0 } == 0)
    }

    @Test func cancelledEntriesAreSweptSoTheHeapStaysTheSizeOfWhatIsLive() {
        let timer = DeadlineTimer(name: "test-sweep")
        let live = (0..<10).map { index in timer.schedule(after: 3_600 + Double(index)) {} }
        var generator = SeededGenerator()
        for round in 0..<20 {
            let batch = (0..<1_000).map { _ in timer.schedule(after: 60) {} }
            for scheduled in batch.shuffled(using: &generator) { scheduled.cancel() }
            #expect(timer.pending == 10, "round \(round), \(generator)")
            #expect(timer.stored <= 2 * 10 + 64, "round \(round), \(generator)")
        }
        for scheduled in live { scheduled.cancel() }
        #expect(timer.pending == 0)
    }

    @Test func anAnsweredAskLeavesNoDeadlineBehind() async throws {
        let system = ActorSystem()
        let echo = system.spawn { Echo() }
        let before = DeadlineTimer.shared.pending
        for value in 0..<500 { #expect(try await echo.ask(timeout: .seconds(600)) { Echo.Message.echo(value, $0) } == value) }
        // Other suites' asks may be in flight at the same time; ours must not stay behind.
        #expect(DeadlineTimer.shared.pending < before + 400)
    }

    final class Echo: ActorBehavior {
        enum Message: Sendable { case echo(Int, Reply<Int>) }
        func receive(_ message: Message, context: ActorContext<Message>) async throws {
            if case .echo(let value, let reply) = message { reply.succeed(value) }
        }
    }
}

@Suite struct DeadlineTimerStressTests {
    @Test func noActionRunsBeforeItsDeadline() async throws {
        let timer = DeadlineTimer(name: "test-stress")
        let early = Mutex(0)
        let fired = Mutex(0)
        let done = OneShot<Void>()
        var generator = SeededGenerator()
        let count = 2000
        for _ in 0..<count {
            let seconds = Double.random(in: 0...0.3, using: &generator)
            let due = SystemTime.monotonic() + seconds
            timer.schedule(after: seconds) {
                if SystemTime.monotonic() < due { early.withLock { $0 += 1 } }
                if fired.withLock({ $0 += 1; return $0 }) == count { done.fulfil(()) }
            }
        }
        await onDedicatedThread { done.wait() }
        #expect(early.withLock { $0 } == 0, "\(generator)")
        #expect(timer.pending == 0)
    }
}
