import CirclesCore
import DequeModule

/// Issued authentication nonces: random, single use, bound to a pubkey and a connection, expiring,
/// bounded per connection and in total. Plain state; `NonceStore` serialises access to it.
package struct NonceTable: Sendable {
    package struct Issued: Sendable, Equatable {
        package var nonce: String
        package var expiresAt: Double
    }

    package enum Failure: Error, Sendable, Equatable {
        /// The table holds `capacity` live nonces; try again later.
        case full(capacity: Int)
    }

    private struct Key: Hashable {
        var connection: UInt64
        var pubkey: String
    }

    private struct Entry {
        var nonce: String
        var expiresAt: Double
        var serial: UInt64
    }

    package let ttl: Double
    package let capacity: Int
    package let perConnection: Int

    private var entries: [Key: Entry] = [:]
    /// Issued nonces in order of expiry (the TTL is the same for all). A record whose entry was
    /// replaced, consumed or forgotten is stale and dropped lazily; once the stale records outnumber
    /// the live ones the queue is compacted, so it never holds more than about twice the live count.
    private var order: Deque<(key: Key, serial: UInt64)> = []
    private var staleInOrder = 0
    /// The pubkeys with a live nonce, per connection (at most `perConnection` each).
    private var byConnection: [UInt64: [String]] = [:]
    private var nextSerial: UInt64 = 0

    /// Nonces a node holds at most, in all.
    package static let defaultCapacity = 100_000

    package init(ttl: Double = 300, capacity: Int = NonceTable.defaultCapacity, perConnection: Int = 8) {
        self.ttl = ttl
        self.capacity = capacity
        self.perConnection = perConnection
    }

    package var count: Int { entries.count }

    /// Records in the expiry queue, live and stale: bounded by about twice `count`.
    package var queuedRecords: Int { order.count }

    /// Issues a fresh nonce for `pubkey` on `connection`, replacing an earlier one for the same pair.
    package mutating func issue(pubkey: String, connection: UInt64, now: Double) throws(Failure) -> Issued {
        purgeExpired(now: now)
        let key = Key(connection: connection, pubkey: pubkey)
        let replacing = entries[key] != nil
        if !replacing {
            if byConnection[connection]?.count ?? 0 >= perConnection { evictOldest(of: connection) }
            guard entries.count < capacity else { throw .full(capacity: capacity) }
            byConnection[connection, default: []].append(pubkey)
        }
        nextSerial += 1
        let entry = Entry(nonce: Self.randomNonce(), expiresAt: now + ttl, serial: nextSerial)
        entries[key] = entry
        if replacing { markStale() }
        order.append((key, nextSerial))
        return Issued(nonce: entry.nonce, expiresAt: entry.expiresAt)
    }

    /// Takes the nonce issued for `pubkey` on `connection`: it is gone afterwards, whatever happens next.
    /// Nil when none was issued, it was already used, or it expired.
    package mutating func consume(pubkey: String, connection: UInt64, now: Double) -> String? {
        let key = Key(connection: connection, pubkey: pubkey)
        guard let entry = remove(key) else { return nil }
        return entry.expiresAt > now ? entry.nonce : nil
    }

    /// Forgets every nonce of a closed connection.
    package mutating func removeConnection(_ connection: UInt64) {
        guard let pubkeys = byConnection[connection] else { return }
        for pubkey in pubkeys { remove(Key(connection: connection, pubkey: pubkey)) }
    }

    package mutating func purgeExpired(now: Double) {
        while let first = order.first {
            guard let entry = entries[first.key], entry.serial == first.serial else {
                order.removeFirst()
                staleInOrder -= 1
                continue
            }
            guard entry.expiresAt <= now else { return }
            order.removeFirst()
            remove(first.key, fromQueue: true)
        }
    }

    @discardableResult
    private mutating func remove(_ key: Key, fromQueue: Bool = false) -> Entry? {
        guard let entry = entries.removeValue(forKey: key) else { return nil }
        if var pubkeys = byConnection[key.connection] {
            pubkeys.removeAll { $0 == key.pubkey }
            byConnection[key.connection] = pubkeys.isEmpty ? nil : pubkeys
        }
        if !fromQueue { markStale() }
        return entry
    }

    /// One more record in `order` no longer matches its entry; compacts when they are the majority.
    private mutating func markStale() {
        staleInOrder += 1
        guard staleInOrder > entries.count + 64 else { return }
        order.removeAll { entries[$0.key]?.serial != $0.serial }
        staleInOrder = 0
    }

    private mutating func evictOldest(of connection: UInt64) {
        let oldest = byConnection[connection, default: []].min { a, b in
            (entries[Key(connection: connection, pubkey: a)]?.serial ?? 0) < (entries[Key(connection: connection, pubkey: b)]?.serial ?? 0)
        }
        if let oldest { remove(Key(connection: connection, pubkey: oldest)) }
    }

    /// 256 random bits from the system CSPRNG, as 64 hex characters.
    static func randomNonce() -> String { RandomHex.make(words: 4) }
}
