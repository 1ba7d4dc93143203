// Shared by the libFuzzer harnesses that feed bytes as reads (compiled into each with scripts/fuzz.sh).

/// A libFuzzer input whose first byte chooses how the rest is cut into reads.
struct FuzzPieces {
    let control: UInt8
    let input: [UInt8]
    /// Read sizes, each 1...maxPiece, drawn from the control byte, that cover `input`.
    let pieces: [Int]

    init?(_ data: UnsafePointer<UInt8>, _ size: Int, maxPiece: UInt64) {
        guard size > 0 else { return nil }
        control = data[0]
        input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
        var seed = UInt64(control) &* 0x9E37_79B9_7F4A_7C15 | 1
        var pieces: [Int] = []
        var covered = 0
        while covered < input.count {
            seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17
            let piece = Int(seed % maxPiece) + 1
            pieces.append(piece)
            covered += piece
        }
        self.pieces = pieces
    }

    /// Calls `feed` with `input` cut at `pieces` (what is left in one last read) while it returns true.
    static func feed(_ input: [UInt8], pieces: [Int], _ feed: (UnsafeRawBufferPointer) -> Bool) {
        var offset = 0
        for size in pieces + [input.count] where offset < input.count {
            let end = min(input.count, offset + max(1, size))
            let more = input[offset..<end].withUnsafeBytes(feed)
            offset = end
            if !more { return }
        }
    }
}
