/// The Redis key layout of the rhailib task protocol (SPEC section 5, seed 003 §8.1).
package enum RedisTaskKeys {
    /// List: the queue of a circle; the gateway LPUSHes task ids, workers BLMOVE from the right.
    package static func queue(_ circle: String) -> String { "rhailib:\(circle)" }
    /// Hash: the task's details and status.
    package static func task(_ id: String) -> String { "rhailib:\(id)" }
    /// List: the JSON result, pushed by the worker, taken and deleted by the gateway; for tasks that
    /// name no `reply_to` list (gateways of the original rhailib layout).
    package static func reply(_ id: String) -> String { "rhailib:reply:\(id)" }
    /// List: tasks a worker has taken and not yet completed (its lease).
    package static func processing(_ worker: String) -> String { "rhailib:processing:\(worker)" }
    /// List: ids a worker's BLMOVE took from a queue, until the claim script pipelined behind it
    /// leases them (normally in the same server step; the reaper re-queues what a dead worker left).
    package static func taken(_ worker: String) -> String { "rhailib:taken:\(worker)" }
    /// String: the task holding a circle's turn (`id:token`, expiring with its lease) or reserved for one (`id:`).
    package static func turn(_ circle: String) -> String { "rhailib:turn:\(circle)" }
    /// List: tasks of a circle taken while its turn was held, in queue order, woken one by one as turns end.
    package static func parked(_ circle: String) -> String { "rhailib:parked:\(circle)" }
    /// Hash: a circle's data, path → JSON text (SPEC section 5).
    package static func data(_ circle: String) -> String { "rhailib:data:\(circle)" }
    /// List: tasks of a circle that failed too many deliveries.
    package static func dead(_ circle: String) -> String { "rhailib:dead:\(circle)" }
    /// Sorted set: live workers scored by their last heartbeat (unix seconds).
    package static let workers = "rhailib:workers"
    /// Set: every circle a task was ever queued for, so `circles worker` without a key finds them.
    package static let circles = "rhailib:circles"

    /// The circle whose queue `key` is (`rhailib:` and a compressed public key in lowercase hex), or nil.
    package static func circle(ofQueue key: String) -> String? {
        let bytes = Array(key.utf8)
        guard bytes.count == 8 + 66, key.hasPrefix("rhailib:"), bytes[8] == 0x30, bytes[9] == 0x32 || bytes[9] == 0x33,
              bytes[8...].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else { return nil }
        return String(key.dropFirst(8))
    }
    /// List: results for the tasks one gateway submitted (besides each task's own reply list), so the
    /// gateway waits on one blocking connection however many tasks are in flight.
    package static func gatewayReplies(_ gateway: String) -> String { "rhailib:replies:\(gateway)" }
}
