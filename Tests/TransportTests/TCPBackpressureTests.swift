import Synchronization
import TestSupport
import Testing
@testable import Transport

/// A slow reader must not make the server buffer without bound: reading pauses once a connection's
/// queue passes its limit, and resumes when the peer catches up; nothing is lost or reordered.
@Suite struct TCPBackpressureTests {
    let group = EventLoopGroup(loops: 1)

    /// Echoes, and records the largest queue it has seen.
    final class RecordingEcho: ConnectionHandler {
        let peak: Peak
        init(peak: Peak) { self.peak = peak }
        func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection) {
            connection.write(bytes)
            peak.value.store(max(peak.value.load(ordering: .relaxed), connection.pendingBytes), ordering: .relaxed)
        }
        func closed(_ connection: TCPConnection) {}
    }

    final class Peak: Sendable {
        let value = Atomic<Int>(0)
        let limit = Atomic<Int>(0)
    }

    @Test func aSlowReaderPausesReadingAndStillGetsEverythingInOrder() async throws {
        let peak = Peak()
        let listener = try TCPListener(host: "127.0.0.1", port: 0, group: group) { connection in
            peak.limit.store(connection.maxPending, ordering: .relaxed)
            connection.start(handler: RecordingEcho(peak: peak))
        }
        defer { listener.close() }
        let client = try BlockingSocket(port: listener.port, timeout: 30)
        // 24 MiB (more than the kernel's buffers on both sides and the queue's limit together) of a
        // pattern whose period (65,521 bytes, prime) does not line up with any buffer size.
        let pattern = (0..<65_521).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) }
        var stream: [UInt8] = []
        stream.reserveCapacity(24 << 20)
        while stream.count < 24 << 20 { stream.append(contentsOf: pattern) }
        let data = stream
        async let sent: Void = onDedicatedThread { client.send(data) }
        try await Wait.until(timeout: 30, "the server's queue to reach its limit") {
            let limit = peak.limit.load(ordering: .relaxed)
            return limit > 0 && peak.value.load(ordering: .relaxed) > limit
        }
        let echoed = await client.read(data.count)
        await sent
        #expect(echoed.count == data.count)
        #expect(echoed == data)
        // Over the limit by at most what one pass over the input gathered.
        #expect(peak.value.load(ordering: .relaxed) <= peak.limit.load(ordering: .relaxed) + 256 * 1024)
    }
}
