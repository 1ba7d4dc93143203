#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing

/// The fuzz suites, one at a time: each is seconds of CPU, and two at once would take both cores
/// from the suites running beside them, whose servers have timeouts to keep.
@Suite(.serialized) enum Fuzz {
    /// Runs a fuzz loop on the low-priority background thread (never on the cooperative pool), so that
    /// event loops and other tests' threads come first.
    static func run(_ work: @escaping @Sendable () -> FuzzFindings) async -> FuzzFindings {
        await BackgroundThread.run(work)
    }

    /// Runs `count` seeded cases of `body` as one fuzz loop and reports what they found.
    static func cases(_ count: Int, seed: UInt64, interesting: [UInt8],
                      _ body: @escaping @Sendable (_ index: Int, _ mutator: inout FuzzMutator, _ findings: inout FuzzFindings) -> Void) async {
        await run {
            var findings = FuzzFindings()
            var mutator = FuzzMutator(seed: seed, interesting: interesting)
            for index in 0..<count { body(index, &mutator, &findings) }
            return findings
        }.report()
    }
}
