import Testing
@testable import Transport

extension Fuzz {
    /// The incremental UTF-8 validator against Swift's own decoder on random text, mutated text and
    /// random bytes, fed in random pieces: the same verdict, and a refusal that never comes later when
    /// the bytes are fed one at a time.
    @Suite struct UTF8ValidatorFuzzTests {
        @Test(.timeLimit(.minutes(1))) func agreesWithSwiftWhateverTheSplit() async {
            await Fuzz.run { Self.compare() }.report()
        }

        static func compare() -> FuzzFindings {
            var findings = FuzzFindings()
            var mutator = FuzzMutator(seed: 21, interesting: [0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x9F, 0x8F, 0x90])
            for index in 0..<20_000 {
                var text: [UInt8] = []
                for _ in 0..<mutator.random.below(24) {
                    let scalar = mutator.random.pick([0x7F, 0x7FF, 0xFFFF, 0x10FFFF])
                    if let value = Unicode.Scalar(UInt32(mutator.random.below(scalar + 1))) { text += Array(String(value).utf8) }
                }
                let input = index % 3 == 0 ? text : index % 3 == 1 ? mutator.mutate(text, other: []) : (0..<mutator.random.below(40)).map { _ in mutator.random.byte() }
                let expected = String(validating: input, as: UTF8.self) != nil
                var validator = UTF8Validator()
                var accepted = true
                for piece in FuzzMutator.pieces(input, at: mutator.splits(input.count)) where accepted {
                    accepted = piece.withUnsafeBytes { validator.feed($0) }
                }
                findings.check((accepted && validator.isComplete) == expected, "case \(index): \(input)")
                // One byte at a time: the refusal comes at a byte after which no ending could be valid.
                var byByte = UTF8Validator()
                if let failedAt = input.indices.first(where: { i in !input[i...i].withUnsafeBytes { byByte.feed($0) } }) {
                    findings.check(!expected, "case \(index): refused valid \(input)")
                    findings.check(String(validating: input[...failedAt] + [0x80, 0x80, 0x80], as: UTF8.self) == nil
                        && String(validating: input[...failedAt], as: UTF8.self) == nil, "case \(index): refused early at \(failedAt) in \(input)")
                }
            }
            return findings
        }
    }
}
