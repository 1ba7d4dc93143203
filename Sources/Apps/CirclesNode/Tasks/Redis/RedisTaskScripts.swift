import Transport

/// Lua scripts that make each step of the task protocol atomic on the Redis server.
enum RedisTaskScripts {
    /// Take one task id and lease it to a worker: first from the worker's `taken` list (where its
    /// BLMOVE, pipelined just before this script, put it), else from the queues in ARGV[8...]. A task
    /// already final is skipped; one delivered too often is dead-lettered (the list keeps the newest
    /// ARGV[7] ids) and its gateway answered.
    /// KEYS: taken list, processing list.
    /// ARGV: now, max deliveries, worker, ttl, dead failure JSON, dead result JSON with `@TASK@` for the id,
    /// dead-letter capacity, queues...
    /// Returns {"run", id, script, caller, context, constants, timeout, reply_to, created_at, signature} | {"skip", id} |
    /// {"dead", id} | {"none"}. Replies go only to lists of rhailib's naming (`rhailib:replies:*`, else the task's own).
    static let claim = RedisScript("""
        local id = redis.call('RPOP', KEYS[1])
        local next = 8
        while (not id) and ARGV[next] do
          id = redis.call('RPOP', ARGV[next])
          next = next + 1
        end
        if not id then return {'none'} end
        local task = 'rhailib:' .. id
        local state = redis.call('HMGET', task, 'status', 'context_id', 'script', 'caller_id', 'constants', 'timeout',
                                 'reply_to', 'created_at', 'signature')
        if (not state[1]) or state[1] == 'completed' or state[1] == 'error' then return {'skip', id} end
        local deliveries = redis.call('HINCRBY', task, 'deliveries', 1)
        if deliveries > tonumber(ARGV[2]) then
          local from, to = string.find(ARGV[6], '@TASK@', 1, true)
          local result = string.sub(ARGV[6], 1, from - 1) .. id .. string.sub(ARGV[6], to + 1)
          local deadLetters = 'rhailib:dead:' .. (state[2] or '')
          redis.call('LPUSH', deadLetters, id)
          redis.call('LTRIM', deadLetters, 0, tonumber(ARGV[7]) - 1)
          redis.call('HSET', task, 'status', 'error', 'error', ARGV[5], 'updated_at', ARGV[1])
          redis.call('EXPIRE', task, ARGV[4])
          local replyTo = state[7]
          if not (replyTo and string.sub(replyTo, 1, 16) == 'rhailib:replies:') then replyTo = 'rhailib:reply:' .. id end
          redis.call('LPUSH', replyTo, result)
          redis.call('EXPIRE', replyTo, ARGV[4])
          return {'dead', id}
        end
        redis.call('LPUSH', KEYS[2], id)
        redis.call('HSET', task, 'status', 'processing', 'updated_at', ARGV[1], 'worker', ARGV[3])
        return {'run', id, state[3] or '', state[4] or '', state[2] or '', state[5] or '', state[6] or '',
                state[7] or '', state[8] or '', state[9] or ''}
        """)

    /// Record a result once, and hand it to the gateway that waits for it: on its `reply_to` list when
    /// the task names one (our gateways), else on the task's own reply list (rhailib's layout).
    /// KEYS: task hash, processing list, reply list.
    /// ARGV: id, status, output, error JSON, now, ttl, result JSON. Returns 1, or 0 when already final.
    static let complete = RedisScript("""
        local state = redis.call('HMGET', KEYS[1], 'status', 'reply_to')
        redis.call('LREM', KEYS[2], 1, ARGV[1])
        if state[1] == 'completed' or state[1] == 'error' then return 0 end
        redis.call('HSET', KEYS[1], 'status', ARGV[2], 'output', ARGV[3], 'error', ARGV[4], 'updated_at', ARGV[5])
        redis.call('EXPIRE', KEYS[1], ARGV[6])
        local replyTo = state[2]
        if not (replyTo and string.sub(replyTo, 1, 16) == 'rhailib:replies:') then replyTo = KEYS[3] end
        redis.call('LPUSH', replyTo, ARGV[7])
        redis.call('EXPIRE', replyTo, ARGV[6])
        return 1
        """)

    /// Give a leased task back: end the lease and put the task at the head of its queue (the end
    /// workers take from) without counting the delivery.
    /// KEYS: task hash, processing list. ARGV: id, now. Returns 1, or 0 when the lease was not there.
    static let giveBack = RedisScript("""
        if redis.call('LREM', KEYS[2], 1, ARGV[1]) == 0 then return 0 end
        local state = redis.call('HMGET', KEYS[1], 'status', 'context_id')
        if state[1] ~= 'processing' or not state[2] then return 0 end
        redis.call('HSET', KEYS[1], 'status', 'pending', 'updated_at', ARGV[2])
        redis.call('HINCRBY', KEYS[1], 'deliveries', -1)
        redis.call('RPUSH', 'rhailib:' .. state[2], ARGV[1])
        return 1
        """)

    /// Withdraw a task its caller stopped waiting for, if no worker has taken it yet: it leaves its
    /// queue and is final (`error`, ARGV[2] the failure JSON), so it never runs.
    /// KEYS: task hash. ARGV: id, failure JSON, now, ttl. Returns 1 when withdrawn.
    static let withdraw = RedisScript("""
        local state = redis.call('HMGET', KEYS[1], 'status', 'context_id')
        if state[1] ~= 'pending' then return 0 end
        if state[2] then redis.call('LREM', 'rhailib:' .. state[2], 1, ARGV[1]) end
        redis.call('HSET', KEYS[1], 'status', 'error', 'error', ARGV[2], 'updated_at', ARGV[3])
        redis.call('EXPIRE', KEYS[1], ARGV[4])
        return 1
        """)

    /// Re-queue the leases (and ids taken but not yet leased) of workers whose heartbeat is older
    /// than the visibility timeout.
    /// KEYS: workers zset. ARGV: oldest live heartbeat (unix seconds). Returns the number of tasks re-queued.
    static let reap = RedisScript("""
        local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
        local moved = 0
        for _, worker in ipairs(dead) do
          for _, list in ipairs({'rhailib:processing:' .. worker, 'rhailib:taken:' .. worker}) do
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
          end
          redis.call('ZREM', KEYS[1], worker)
        end
        return moved
        """)
}
