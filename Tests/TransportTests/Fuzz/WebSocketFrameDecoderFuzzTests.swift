import Testing
@testable import Transport

extension Fuzz {
    /// Deterministic random-input tests of `WebSocketFrameDecoder` (seeded, bounded): valid frame
    /// streams, mutations of them (bit flips in headers, length fields, truncations, duplications), and
    /// random bytes, for both sides (masked client frames, unmasked server frames), each fed whole and
    /// in random pieces. Whatever the input: no crash, no hang, every delivered frame obeys RFC 6455 and
    /// the size limit, nothing is delivered after a violation, and the trace does not depend on the split.
    @Suite struct WebSocketFrameDecoderFuzzTests {
        static let maxFrameSize = 70_000
        static let interesting: [UInt8] = [0x00, 0x01, 0x02, 0x08, 0x09, 0x0A, 0x80, 0x81, 0x82, 0x88, 0x89, 0x8A, 0x7D, 0x7E, 0x7F,
                                           0xFE, 0xFF, 0xF0, 0x70, 0x0F]

        /// A frame as sent, for comparing with what the decoder delivers.
        struct Sent {
            var fin: Bool
            var opcode: WebSocketOpcode
            var payload: [UInt8]
        }

        @Test(.timeLimit(.minutes(1))) func validStreamsDecodeToWhatWasSentWhateverTheSplit() async {
            await Fuzz.cases(6_000, seed: 11, interesting: Self.interesting) { index, mutator, findings in
                let masked = index % 2 == 0
                let sent = Self.frames(&mutator.random)
                let stream = sent.flatMap { WebSocketFrameEncoder.encode($0.opcode, $0.payload, fin: $0.fin, masked: masked) }
                let splits = index % 25 == 0 && stream.count < 2_000 ? Array(1..<stream.count) : mutator.splits(stream.count, maxPieces: 16)
                let (trace, violation) = Self.run(stream, splits: splits, expectMasked: masked, &findings)
                findings.check(violation == nil, "case \(index): \(String(describing: violation))")
                findings.check(trace.frames.count == sent.count, "case \(index): \(trace.frames.count) frames of \(sent.count)")
                for (frame, original) in zip(trace.frames, sent) {
                    findings.check(frame.ended && frame.header.fin == original.fin && frame.header.opcode == original.opcode
                                   && (frame.header.maskKey != nil) == masked && frame.payload == original.payload,
                                   "case \(index): \(frame.header) for \(original.opcode) fin \(original.fin)")
                }
            }
        }

        @Test(.timeLimit(.minutes(1))) func mutatedStreamsKeepTheRules() async {
            await Fuzz.cases(10_000, seed: 12, interesting: Self.interesting) { index, mutator, findings in
                let masked = index % 2 == 0
                let sent = Self.frames(&mutator.random)
                let stream = sent.flatMap { WebSocketFrameEncoder.encode($0.opcode, $0.payload, fin: $0.fin, masked: masked) }
                let other = Self.frames(&mutator.random, large: false).flatMap { WebSocketFrameEncoder.encode($0.opcode, $0.payload, fin: $0.fin, masked: !masked) }
                var input = mutator.mutate(stream, other: other)
                if index % 5 == 0 { Self.garbleLength(&input, &mutator.random) }
                Self.check(input, &mutator, expectMasked: masked, case: index, &findings)
            }
        }

        @Test(.timeLimit(.minutes(1))) func randomBytesKeepTheRules() async {
            await Fuzz.cases(4_000, seed: 13, interesting: Self.interesting) { index, mutator, findings in
                let length = mutator.random.below(mutator.random.oneIn(20) ? 20_000 : 300)
                let input = (0..<length).map { _ in mutator.random.oneIn(3) ? mutator.random.pick(Self.interesting) : mutator.random.byte() }
                Self.check(input, &mutator, expectMasked: index % 2 == 0, case: index, &findings)
            }
        }

        /// Runs `input` whole and split (also with a sink that refuses after a while) and checks the rules.
        static func check(_ input: [UInt8], _ mutator: inout FuzzMutator, expectMasked: Bool, case index: Int, _ findings: inout FuzzFindings) {
            let splits = mutator.splits(input.count, maxPieces: 12)
            let refuseAfter = mutator.random.oneIn(4) ? mutator.random.below(400) : Int.max
            let whole = run(input, splits: [], expectMasked: expectMasked, refuseAfter: refuseAfter, &findings)
            let split = run(input, splits: splits, expectMasked: expectMasked, refuseAfter: refuseAfter, &findings)
            findings.check(split.trace == whole.trace && split.violation == whole.violation, "case \(index), splits \(splits): traces differ")
            for frame in whole.trace.frames {
                let header = frame.header
                findings.check(header.reserved == 0 && (header.maskKey != nil) == expectMasked && header.length <= maxFrameSize,
                               "case \(index): delivered \(header)")
                findings.check(!header.opcode.isControl || header.fin && header.length <= 125, "case \(index): delivered \(header)")
                findings.check(frame.payload.count <= header.length, "case \(index): \(frame.payload.count) bytes for \(header)")
                if whole.trace.refusal == nil {
                    findings.check(frame.ended == (frame.payload.count == header.length), "case \(index): ended \(frame.ended) for \(header)")
                }
            }
            findings.check(whole.trace.callsAfterRefusal == 0 && whole.trace.misplacedChunks == 0, "case \(index): sink misused")
            if let refusal = whole.trace.refusal { findings.check(whole.violation == refusal, "case \(index): refusal not returned") }
        }

        /// Feeds `input` cut at `splits` into a fresh decoder; the first violation ends the run, and the
        /// decoder must repeat it for anything fed afterwards without calling the sink.
        static func run(_ input: [UInt8], splits: [Int], expectMasked: Bool, refuseAfter: Int = .max,
                        _ findings: inout FuzzFindings) -> (trace: FrameTrace, violation: WebSocketViolation?) {
            var decoder = WebSocketFrameDecoder(expectMasked: expectMasked, maxFrameSize: maxFrameSize)
            var trace = FrameTrace(refuseAfter: refuseAfter)
            for piece in FuzzMutator.pieces(input, at: splits) {
                if let violation = piece.withUnsafeBytes({ decoder.feed($0, into: &trace) }) {
                    let frames = trace.frames
                    let again = [UInt8](repeating: 0x81, count: 4).withUnsafeBytes { decoder.feed($0, into: &trace) }
                    findings.check(again == violation && trace.frames == frames, "the decoder went on after \(violation)")
                    return (trace, violation)
                }
            }
            return (trace, nil)
        }

        /// A valid stream: messages (fragmented or not) with control frames between fragments.
        static func frames(_ random: inout SplitMix, large: Bool = true) -> [Sent] {
            var frames: [Sent] = []
            for _ in 0...random.below(4) {
                let fragments = 1 + random.below(3)
                let opcode: WebSocketOpcode = random.oneIn(2) ? .text : .binary
                for fragment in 0..<fragments {
                    frames.append(Sent(fin: fragment == fragments - 1, opcode: fragment == 0 ? opcode : .continuation, payload: payload(&random, large: large)))
                    if random.oneIn(4) {
                        frames.append(Sent(fin: true, opcode: random.pick([.ping, .pong, .close]),
                                           payload: Array(pool.prefix(random.pick([0, 2, 5, 125])))))
                    }
                }
            }
            return frames
        }

        /// Payload sizes around each length encoding (7-bit, 16-bit, 64-bit), mostly small; cut from a
        /// random pool, which is cheaper than drawing every byte.
        static func payload(_ random: inout SplitMix, large: Bool = true) -> [UInt8] {
            let count = random.oneIn(large ? 100 : 20) ? random.pick(large ? [125, 126, 127, 65_535, 65_536, 69_999] : [125, 126, 127]) : random.below(200)
            let start = random.below(pool.count - count + 1)
            return Array(pool[start..<start + count])
        }

        static let pool: [UInt8] = {
            var random = SplitMix(seed: 10)
            return (0..<maxFrameSize).map { _ in random.byte() }
        }()

        /// Rewrites the first frame's length field with an edge value, leaving the rest as it was.
        static func garbleLength(_ input: inout [UInt8], _ random: inout SplitMix) {
            guard input.count >= 2 else { return }
            input[1] = input[1] & 0x80 | random.pick([0, 1, 125, 126, 127])
            if input[1] & 0x7F == 126 { input.insert(contentsOf: [random.byte(), random.byte()], at: 2) }
            if input[1] & 0x7F == 127 {
                let length: UInt64 = random.pick([0, 1, 65_536, UInt64(maxFrameSize), UInt64(maxFrameSize) + 1, UInt64(Int.max), UInt64.max, 1 << 63])
                input.insert(contentsOf: (0..<8).map { UInt8(truncatingIfNeeded: length >> (56 - 8 * $0)) }, at: 2)
            }
        }
    }
}
