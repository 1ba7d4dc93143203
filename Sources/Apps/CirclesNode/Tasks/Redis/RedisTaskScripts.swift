/// Lua scripts that make each step of the task protocol atomic on the Redis server.
enum RedisTaskScripts {
    /// After BLMOVE put the id in the worker's processing list: check the task and lease it.
    /// KEYS: task hash, processing list, dead list, reply list. ARGV: id, now, max deliveries, worker, ttl, dead result JSON.
    /// Returns {"run", script, caller, context, constants, timeout} | {"skip"} | {"dead", channel}.
    static let claim = """
        local status = redis.call('HGET', KEYS[1], 'status')
        if (not status) or status == 'completed' or status == 'error' then
          redis.call('LREM', KEYS[2], 1, ARGV[1])
          return {'skip'}
        end
        local deliveries = redis.call('HINCRBY', KEYS[1], 'deliveries', 1)
        if deliveries > tonumber(ARGV[3]) then
          redis.call('LREM', KEYS[2], 1, ARGV[1])
          redis.call('LPUSH', KEYS[3], ARGV[1])
          redis.call('HSET', KEYS[1], 'status', 'error', 'error', ARGV[6], 'updated_at', ARGV[2])
          redis.call('EXPIRE', KEYS[1], ARGV[5])
          redis.call('LPUSH', KEYS[4], ARGV[6])
          redis.call('EXPIRE', KEYS[4], ARGV[5])
          local replyTo = redis.call('HGET', KEYS[1], 'reply_to')
          if replyTo then
            redis.call('LPUSH', replyTo, ARGV[6])
            redis.call('EXPIRE', replyTo, ARGV[5])
          end
          return {'dead'}
        end
        redis.call('HSET', KEYS[1], 'status', 'processing', 'updated_at', ARGV[2], 'worker', ARGV[4])
        local fields = redis.call('HMGET', KEYS[1], 'script', 'caller_id', 'context_id', 'constants', 'timeout')
        return {'run', fields[1] or '', fields[2] or '', fields[3] or '', fields[4] or '', fields[5] or ''}
        """

    /// Record a result once, and hand it to the gateway that waits for it (its `reply_to` list).
    /// KEYS: task hash, processing list, reply list.
    /// ARGV: id, status, output, error JSON, now, ttl, result JSON. Returns 1, or 0 when already final.
    static let complete = """
        local status = redis.call('HGET', KEYS[1], 'status')
        redis.call('LREM', KEYS[2], 1, ARGV[1])
        if status == 'completed' or status == 'error' then return 0 end
        redis.call('HSET', KEYS[1], 'status', ARGV[2], 'output', ARGV[3], 'error', ARGV[4], 'updated_at', ARGV[5])
        redis.call('EXPIRE', KEYS[1], ARGV[6])
        redis.call('LPUSH', KEYS[3], ARGV[7])
        redis.call('EXPIRE', KEYS[3], ARGV[6])
        local replyTo = redis.call('HGET', KEYS[1], 'reply_to')
        if replyTo then
          redis.call('LPUSH', replyTo, ARGV[7])
          redis.call('EXPIRE', replyTo, ARGV[6])
        end
        return 1
        """

    /// Re-queue the leases of workers whose heartbeat is older than the visibility timeout.
    /// KEYS: workers zset. ARGV: oldest live heartbeat (unix seconds). Returns the number of tasks re-queued.
    static let reap = """
        local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
        local moved = 0
        for _, worker in ipairs(dead) do
          local list = 'rhailib:processing:' .. worker
          while true do
            local id = redis.call('RPOP', list)
            if not id then break end
            local task = 'rhailib:' .. id
            local fields = redis.call('HMGET', task, 'status', 'context_id')
            if fields[2] and fields[1] ~= 'completed' and fields[1] ~= 'error' then
              redis.call('HSET', task, 'status', 'pending')
              redis.call('RPUSH', 'rhailib:' .. fields[2], id)
              moved = moved + 1
            end
          end
          redis.call('ZREM', KEYS[1], worker)
        end
        return moved
        """
}
