/// Mutations and random splits of fuzz inputs: bit flips, truncations, duplicated and deleted
/// ranges, inserted random or "interesting" bytes, splices of two inputs.
struct FuzzMutator {
    var random: SplitMix
    /// Bytes worth inserting for the format under test (digits, separators, delimiters).
    let interesting: [UInt8]

    init(seed: UInt64, interesting: [UInt8]) {
        random = SplitMix(seed: seed)
        self.interesting = interesting
    }

    /// `input` changed by one to four mutations; `other` is spliced in sometimes.
    mutating func mutate(_ input: [UInt8], other: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...random.below(4) { mutateOnce(&bytes, other: other) }
        return bytes
    }

    private mutating func mutateOnce(_ bytes: inout [UInt8], other: [UInt8]) {
        let position = bytes.isEmpty ? 0 : random.below(bytes.count)
        switch random.below(8) {
        case 0 where !bytes.isEmpty:
            bytes[position] ^= 1 << UInt8(random.below(8))
        case 1 where !bytes.isEmpty:
            bytes.removeLast(random.below(bytes.count) + 1)
        case 2 where !bytes.isEmpty:
            let length = min(bytes.count - position, 1 + random.below(64))
            let copies = 1 + random.below(3)
            let range = Array(bytes[position..<position + length])
            for _ in 0..<copies { bytes.insert(contentsOf: range, at: position) }
        case 3 where !bytes.isEmpty:
            bytes.removeSubrange(position..<min(bytes.count, position + 1 + random.below(16)))
        case 4:
            bytes.insert(contentsOf: (0...random.below(8)).map { _ in random.byte() }, at: position)
        case 5:
            bytes.insert(contentsOf: (0...random.below(8)).map { _ in random.pick(interesting) }, at: position)
        case 6 where !bytes.isEmpty:
            bytes[position] = random.pick(interesting)
        case 7 where !other.isEmpty:
            let from = random.below(other.count)
            bytes = Array(bytes[..<position]) + Array(other[from...])
        default:
            bytes.append(random.byte())
        }
    }

    /// Up to `maxPieces` random cut points, sorted, strictly inside `0..<count`.
    mutating func splits(_ count: Int, maxPieces: Int = 8) -> [Int] {
        guard count > 1 else { return [] }
        return Set((0..<random.below(maxPieces)).map { _ in 1 + random.below(count - 1) }).sorted()
    }

    /// `input` cut at `splits`.
    static func pieces(_ input: [UInt8], at splits: [Int]) -> [ArraySlice<UInt8>] {
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        for split in splits + [input.count] {
            pieces.append(input[start..<split])
            start = split
        }
        return pieces
    }
}
