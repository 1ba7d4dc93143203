import Threads
import SupervisionTestKit
import Actors
import Testing
@testable import Supervision

@Suite struct SupervisorTimingTests {
    let harness = Harness()
    let clock = ManualSupervisorClock()

    @Test func restartsWaitAnExponentialBackoffThatResetsAfterAQuietPeriod() async throws {
        let backoff = Backoff(initial: 1, multiplier: 2, maximum: 5, jitter: 0, resetAfter: 100)
        let supervisor = Supervisor("sup", intensity: RestartIntensity(maxRestarts: 100, period: 1), backoff: backoff,
                                    clock: clock, children: [harness.spec("a")])
        let running = Task { try await supervisor.run() }
        var expected: [Double] = [1, 2, 4, 5, 5]
        for (round, delay) in expected.enumerated() {
            try await harness.until("run \(round + 1)") { harness.isRunning("a") }
            harness.send(.fail, to: "a")
            try await harness.until("backoff \(delay)") { clock.sleepers == 1 }
            #expect(clock.deadlines == [clock.now() + delay])
            clock.advance(by: delay)
        }
        // After a quiet period the delay starts again from the initial value.
        try await harness.until("running") { harness.isRunning("a") }
        clock.advance(by: 200)
        harness.send(.fail, to: "a")
        try await harness.until("reset backoff") { clock.sleepers == 1 }
        #expect(clock.deadlines == [clock.now() + 1])
        clock.advance(by: 1)
        expected.append(1)
        try await harness.until("running again") { harness.isRunning("a") }
        #expect(harness.starts("a") == expected.count + 1)
        supervisor.stop()
        try await running.value
    }

    @Test func aChildThatIgnoresShutdownIsCancelledAtItsDeadline() async throws {
        let supervisor = Supervisor("sup", clock: clock, children: [
            harness.spec("polite"), harness.spec("stubborn", shutdown: .graceful(timeout: .seconds(3)), ignoresShutdown: true),
        ])
        let running = Task { try await supervisor.run() }
        try await harness.until("started") { harness.isRunning("stubborn") }
        supervisor.stop()
        try await harness.until("waiting for the deadline") { clock.sleepers == 1 }
        #expect(harness.isRunning("stubborn"))
        clock.advance(by: 3)
        try await running.value
        #expect(harness.log.suffix(2) == ["end stubborn cancelled", "end polite finish"])
    }
}
