import CirclesCore
import DequeModule

/// Issued authentication nonces: random, single use, bound to a pubkey and a connection, expiring,
/// bounded per connection and in total. Plain state; `NonceStore` serialises access to it.
public struct NonceTable: Sendable {
    public struct Issued: Sendable, Equatable {
        public var nonce: String
        public var expiresAt: Double
    }

    public enum Failure: Error, Sendable, Equatable {
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

    public let ttl: Double
    public let capacity: Int
    public let perConnection: Int

    private var entries: [Key: Entry] = [:]
    private var order: Deque<(key: Key, serial: UInt64)> = []
    private var perConnectionCount: [UInt64: Int] = [:]
    private var nextSerial: UInt64 = 0

    /// Nonces a node holds at most, in all.
    public static let defaultCapacity = 100_000

    public init(ttl: Double = 300, capacity: Int = NonceTable.defaultCapacity, perConnection: Int = 8) {
        self.ttl = ttl
        self.capacity = capacity
        self.perConnection = perConnection
    }

    public var count: Int { entries.count }

    /// Issues a fresh nonce for `pubkey` on `connection`, replacing an earlier one for the same pair.
    public mutating func issue(pubkey: String, connection: UInt64, now: Double) throws(Failure) -> Issued {
        purgeExpired(now: now)
        let key = Key(connection: connection, pubkey: pubkey)
        if entries[key] == nil {
            if perConnectionCount[connection, default: 0] >= perConnection { evictOldest(of: connection) }
            guard entries.count < capacity else { throw .full(capacity: capacity) }
            perConnectionCount[connection, default: 0] += 1
        }
        nextSerial += 1
        let entry = Entry(nonce: Self.randomNonce(), expiresAt: now + ttl, serial: nextSerial)
        entries[key] = entry
        order.append((key, nextSerial))
        return Issued(nonce: entry.nonce, expiresAt: entry.expiresAt)
    }

    /// Takes the nonce issued for `pubkey` on `connection`: it is gone afterwards, whatever happens next.
    /// Nil when none was issued, it was already used, or it expired.
    public mutating func consume(pubkey: String, connection: UInt64, now: Double) -> String? {
        let key = Key(connection: connection, pubkey: pubkey)
        guard let entry = remove(key) else { return nil }
        return entry.expiresAt > now ? entry.nonce : nil
    }

    /// Forgets every nonce of a closed connection.
    public mutating func removeConnection(_ connection: UInt64) {
        guard perConnectionCount[connection] != nil else { return }
        for key in entries.keys where key.connection == connection { remove(key) }
    }

    public mutating func purgeExpired(now: Double) {
        while let first = order.first {
            guard let entry = entries[first.key], entry.serial == first.serial else {
                order.removeFirst()
                continue
            }
            guard entry.expiresAt <= now else { return }
            order.removeFirst()
            remove(first.key)
        }
    }

    @discardableResult
    private mutating func remove(_ key: Key) -> Entry? {
        guard let entry = entries.removeValue(forKey: key) else { return nil }
        let remaining = perConnectionCount[key.connection, default: 1] - 1
        perConnectionCount[key.connection] = remaining > 0 ? remaining : nil
        if order.count > 2 * entries.count + 64 {
            order.removeAll { entries[$0.key]?.serial != $0.serial }
        }
        return entry
    }

    private mutating func evictOldest(of connection: UInt64) {
        let oldest = entries.filter { $0.key.connection == connection }.min { $0.value.serial < $1.value.serial }
        if let oldest { remove(oldest.key) }
    }

    /// 256 random bits from the system CSPRNG, as 64 hex characters.
    static func randomNonce() -> String { RandomHex.make(words: 4) }
}
