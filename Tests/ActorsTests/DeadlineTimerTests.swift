import Synchronization
import Testing
@testable import Actors

@Suite struct DeadlineTimerTests {
    @Test func actionsRunInDeadlineOrderAndAnEarlierDeadlineWakesTheSleepingThread() async throws {
        let timer = DeadlineTimer(name: "test-timer")
        let order = Mutex<[Int]>([])
        let done = OneShot<Void>()
        // The thread sleeps until the 10 s deadline; the ones scheduled later but due sooner must
        // wake it, and run in deadline order whatever the order they were scheduled in.
        timer.schedule(after: 10) { order.withLock { $0.append(10) } }
        for (index, seconds) in [0.3, 0.1, 0.2].enumerated() {
            timer.schedule(after: seconds) {
                order.withLock { $0.append(index) }
                if order.withLock({ $0.count }) == 3 { done.fulfil(()) }
            }
        }
        await withCheckedContinuation { continuation in
            DedicatedThread.start("test-wait") {
                done.wait()
                continuation.resume()
            }
        }
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

@Suite struct DeadlineTimerStressTests {
    @Test func noActionRunsBeforeItsDeadline() async throws {
        let timer = DeadlineTimer(name: "test-stress")
        let early = Mutex(0)
        let fired = Mutex(0)
        let done = OneShot<Void>()
        var generator = SystemRandomNumberGenerator()
        let count = 2000
        for _ in 0..<count {
            let seconds = Double.random(in: 0...0.3, using: &generator)
            let due = SystemTime.monotonic() + seconds
            timer.schedule(after: seconds) {
                if SystemTime.monotonic() < due { early.withLock { $0 += 1 } }
                if fired.withLock({ $0 += 1; return $0 }) == count { done.fulfil(()) }
            }
        }
        await withCheckedContinuation { continuation in
            DedicatedThread.start("test-wait") {
                done.wait()
                continuation.resume()
            }
        }
        #expect(early.withLock { $0 } == 0)
        #expect(timer.pending == 0)
    }
}
