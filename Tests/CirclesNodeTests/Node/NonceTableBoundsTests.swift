import Testing
@testable import CirclesNode

/// Issue 14: the nonce table's memory follows its live entries, however often one connection asks.
@Suite struct NonceTableBoundsTests {
    @Test func theExpiryQueueStaysBoundedByTheLiveNoncesWhileAnOldOneIsPinned() throws {
        var table = NonceTable(ttl: 300)
        // A live nonce at the front of the queue: nothing behind it expires before it does.
        let pinned = try table.issue(pubkey: "pinned", connection: 1, now: 0)
        var largest = 0
        for round in 0..<200_000 {
            // Reissues for one pubkey (each replaces the last) and, every few rounds, a new pubkey
            // (evicting the connection's oldest past 8).
            let pubkey = round % 7 == 0 ? "key-\(round)" : "same"
            _ = try table.issue(pubkey: pubkey, connection: 2, now: Double(round) / 1_000)
            largest = max(largest, table.queuedRecords)
            #expect(table.queuedRecords <= 2 * table.count + 66, "round \(round): \(table.queuedRecords) records for \(table.count) nonces")
            if table.queuedRecords > 2 * table.count + 66 { break }
        }
        #expect(table.count == 1 + 8)
        #expect(largest < 200)
        #expect(table.consume(pubkey: "pinned", connection: 1, now: 200) == pinned.nonce)
        table.removeConnection(2)
        #expect(table.count == 0)
        table.purgeExpired(now: 1_000)
        #expect(table.queuedRecords == 0)
    }

    @Test func manyConnectionsEachKeepTheirOwnEightNewest() throws {
        var table = NonceTable(ttl: 300, capacity: 1_000)
        for connection in UInt64(0)..<100 {
            for key in 0..<12 { _ = try table.issue(pubkey: "k\(key)", connection: connection, now: 0) }
        }
        #expect(table.count == 800)
        #expect(table.consume(pubkey: "k3", connection: 5, now: 1) == nil)
        #expect(table.consume(pubkey: "k4", connection: 5, now: 1) != nil)
        for connection in UInt64(0)..<100 { table.removeConnection(connection) }
        #expect(table.count == 0)
        #expect(table.queuedRecords <= 66)
    }
}
