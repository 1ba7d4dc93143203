import Synchronization
import Testing
@testable import Actors

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

    @Test func aOneShotDeliversWhetherTheWaiterIsPollingOrAsleep() async {
        for delay: UInt32 in [0, 20_000] {
            let shot = OneShot<Int>()
            DedicatedThread.start("test-fulfil") {
                // 20 ms is far past the polling window: the waiter is asleep on its condition by then.
                if delay > 0 { usleep(delay) }
                shot.fulfil(Int(delay))
            }
            let value = await withCheckedContinuation { continuation in
                DedicatedThread.start("test-wait") { continuation.resume(returning: shot.wait()) }
            }
            #expect(value == Int(delay))
            #expect(!shot.fulfil(-1))
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
