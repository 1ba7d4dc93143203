import Foundation

/// A random number generator for tests (SplitMix64) whose seed is printed with every failure that
/// names it: the seed comes from `CIRCLES_TEST_SEED` when set (to replay a failure), else is new for
/// each run.
public struct SeededGenerator: RandomNumberGenerator, Sendable, CustomStringConvertible {
    public let seed: UInt64
    private var state: UInt64

    public init(seed: UInt64? = nil) {
        let chosen = seed ?? ProcessInfo.processInfo.environment["CIRCLES_TEST_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        self.seed = chosen
        state = chosen
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// What to put in a failure's message: replay with `CIRCLES_TEST_SEED=<seed>`.
    public var description: String { "seed \(seed) (replay with CIRCLES_TEST_SEED=\(seed))" }
}
