/// Bytes on their way to a socket: appended at the end, consumed from the front, written into
/// directly (`reserve` then `commit`) so that frames are encoded in place. One thread only.
final class OutboundBuffer {
    private var storage: UnsafeMutableRawPointer?
    private(set) var capacity = 0
    private var start = 0
    private var end = 0

    init(capacity: Int = 0) {
        if capacity > 0 { grow(to: capacity) }
    }

    deinit { storage?.deallocate() }

    /// Bytes waiting.
    var count: Int { end - start }
    var isEmpty: Bool { end == start }

    /// The waiting bytes; valid until the next mutation.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage.map { $0 + start }, count: end - start) }

    /// Room for `count` more bytes at the end; fill it, then `commit` what was written.
    func reserve(_ count: Int) -> UnsafeMutableRawPointer {
        if end + count > capacity || storage == nil {
            if start > 0, end - start + count <= capacity {
                // Slide the waiting bytes to the front instead of growing.
                storage!.copyMemory(from: storage! + start, byteCount: end - start)
                end -= start
                start = 0
            } else {
                grow(to: max(end - start + count, capacity * 2, 256))
            }
        }
        return storage! + end
    }

    func commit(_ count: Int) { end += count }

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count).copyMemory(from: base, byteCount: bytes.count)
        end += bytes.count
    }

    /// Drops `count` bytes from the front (they were written).
    func consume(_ count: Int) {
        start += count
        if start == end { start = 0; end = 0 }
    }

    /// Empties the buffer and keeps its storage.
    func clear() {
        start = 0
        end = 0
    }

    private func grow(to size: Int) {
        let grown = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        if let storage {
            grown.copyMemory(from: storage + start, byteCount: end - start)
            storage.deallocate()
        }
        end -= start
        start = 0
        storage = grown
        capacity = size
    }
}
