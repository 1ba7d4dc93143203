import Synchronization
import TestSupport
import Testing
@testable import Threads

@Suite struct BusyPollTests {
    @Test func aZeroWindowReturnsAtOnceWithoutPolling() {
        let calls = Mutex(0)
        #expect(!BusyPoll.poll(microseconds: 0) { calls.withLock { $0 += 1 }; return true })
        #expect(calls.withLock { $0 } == 0)
    }

    @Test func pollingStopsWhenTheConditionHoldsLongBeforeTheWindowEnds() {
        let flag = Atomic<Bool>(false)
        DedicatedThread.start("test-setter") { flag.store(true, ordering: .releasing) }
        let started = SystemTime.monotonic()
        // A 60 s window: returning at all (and true) means the other thread's store was seen.
        #expect(BusyPoll.poll(microseconds: 60_000_000) { flag.load(ordering: .acquiring) })
        #expect(SystemTime.monotonic() - started < 60)
    }

    @Test func pollingGivesUpWhenTheWindowHasPassed() {
        let calls = Mutex(0)
        let started = SystemTime.monotonic()
        #expect(!BusyPoll.poll(microseconds: 2_000) { calls.withLock { $0 += 1 }; return false })
        #expect(SystemTime.monotonic() - started >= 0.002)
        #expect(calls.withLock { $0 } >= 1)
    }

    @Test func aOneShotDeliversWhetherTheWaiterIsPollingOrAsleep() async throws {
        for waitForSleep in [false, true] {
            let shot = OneShot<Int>()
            let value = Task { await onDedicatedThread { shot.wait() } }
            // Delivered at once (the waiter is polling, or not even waiting yet), or only once the waiter
            // has given up polling and sleeps on its condition.
            if waitForSleep { try await Wait.until(timeout: 60, "the waiter asleep") { shot.hasSleepingWaiter } }
            shot.fulfil(waitForSleep ? 2 : 1)
            #expect(await value.value == (waitForSleep ? 2 : 1))
            #expect(!shot.fulfil(-1))
        }
    }
}
