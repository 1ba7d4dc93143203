import Testing
@testable import CirclesNode

@Suite struct NonceTableTests {
    @Test func aNonceIsSingleUseAndBoundToPubkeyAndConnection() throws {
        var table = NonceTable(ttl: 300)
        let issued = try table.issue(pubkey: "A", connection: 1, now: 1000)
        #expect(issued.expiresAt == 1300)
        #expect(issued.nonce.utf8.count == 64)
        #expect(table.consume(pubkey: "B", connection: 1, now: 1001) == nil)
        #expect(table.consume(pubkey: "A", connection: 2, now: 1001) == nil)
        #expect(table.consume(pubkey: "A", connection: 1, now: 1001) == issued.nonce)
        #expect(table.consume(pubkey: "A", connection: 1, now: 1001) == nil)
        #expect(table.count == 0)
    }

    @Test func expiredNoncesAreRefusedAndPurged() throws {
        var table = NonceTable(ttl: 10)
        _ = try table.issue(pubkey: "A", connection: 1, now: 0)
        #expect(table.consume(pubkey: "A", connection: 1, now: 10) == nil)
        _ = try table.issue(pubkey: "A", connection: 1, now: 0)
        _ = try table.issue(pubkey: "B", connection: 2, now: 5)
        table.purgeExpired(now: 12)
        #expect(table.count == 1)
        #expect(table.consume(pubkey: "B", connection: 2, now: 12) != nil)
    }

    @Test func reissuingReplacesTheEarlierNonce() throws {
        var table = NonceTable()
        let first = try table.issue(pubkey: "A", connection: 1, now: 0)
        let second = try table.issue(pubkey: "A", connection: 1, now: 1)
        #expect(first.nonce != second.nonce)
        #expect(table.count == 1)
        #expect(table.consume(pubkey: "A", connection: 1, now: 2) == second.nonce)
    }

    @Test func boundedPerConnectionByEvictingTheOldest() throws {
        var table = NonceTable(perConnection: 2)
        let a = try table.issue(pubkey: "A", connection: 1, now: 0)
        _ = try table.issue(pubkey: "B", connection: 1, now: 0)
        _ = try table.issue(pubkey: "C", connection: 1, now: 0)
        #expect(table.count == 2)
        #expect(table.consume(pubkey: "A", connection: 1, now: 0) == nil)
        #expect(a.nonce.isEmpty == false)
        #expect(table.consume(pubkey: "C", connection: 1, now: 0) != nil)
    }

    @Test func boundedGloballyUntilNoncesExpire() throws {
        var table = NonceTable(ttl: 10, capacity: 3)
        for connection in 0..<3 { _ = try table.issue(pubkey: "K", connection: UInt64(connection), now: 0) }
        #expect(throws: NonceTable.Failure.full(capacity: 3)) { try table.issue(pubkey: "K", connection: 9, now: 5) }
        _ = try table.issue(pubkey: "K", connection: 9, now: 10)
        #expect(table.count == 1)
    }

    @Test func closingAConnectionForgetsItsNonces() throws {
        var table = NonceTable()
        _ = try table.issue(pubkey: "A", connection: 1, now: 0)
        _ = try table.issue(pubkey: "B", connection: 1, now: 0)
        _ = try table.issue(pubkey: "A", connection: 2, now: 0)
        table.removeConnection(1)
        #expect(table.count == 1)
        #expect(table.consume(pubkey: "A", connection: 2, now: 0) != nil)
    }

    @Test func noncesAreDistinct() throws {
        var table = NonceTable(capacity: 10_000, perConnection: 10_000)
        var seen = Set<String>()
        for index in 0..<2000 { seen.insert(try table.issue(pubkey: "\(index)", connection: 1, now: 0).nonce) }
        #expect(seen.count == 2000)
    }
}
