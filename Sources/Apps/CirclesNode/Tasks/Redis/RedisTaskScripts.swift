import Transport

/// Lua scripts that make each step of the task protocol atomic on the Redis server.
///
/// Turns (SPEC section 6.1): `rhailib:turn:{circle}` holds `id:token` while that task runs (a lease
/// expiring after the visibility timeout unless its worker renews it), or `id:` while the turn is
/// reserved for a task woken from the parked list. A task claimed while its circle's turn is held
/// by another is parked (`rhailib:parked:{circle}`, in queue order) instead of run; when the turn ends
/// (completion, give-back, reaping) the first parked task is reserved the turn and pushed back to the
/// head of its queue, so exactly one task of the circle is runnable at a time and in order.
enum RedisTaskScripts {
    /// Ends `circle`'s turn: reserves it for the first parked task (for ARGV lease ms) and queues that
    /// task at the head of its queue, or frees it.
    static let releaseTurn = """
        local function releaseTurn(circle, leaseMs)
          local first = redis.call('LPOP', 'rhailib:parked:' .. circle)
          if first then
            redis.call('SET', 'rhailib:turn:' .. circle, first .. ':', 'PX', leaseMs)
            redis.call('RPUSH', 'rhailib:' .. circle, first)
          else
            redis.call('DEL', 'rhailib:turn:' .. circle)
            redis.call('SREM', 'rhailib:parkedcircles', circle)
          end
        end
        local function holds(holder, id)
          return holder and string.sub(holder, 1, #id + 1) == id .. ':'
        end

        """

    /// Take one task id and lease it to a worker: first from the worker's `taken` list (where its
    /// BLMOVE, pipelined just before this script, put it), else from the queues in ARGV[10...]. A task
    /// already final is skipped; one whose circle's turn is held by another task is parked; one
    /// delivered too often is dead-lettered (the list keeps the newest ARGV[7] ids) and its gateway
    /// answered. Otherwise the task takes its circle's turn under the token ARGV[8].
    /// KEYS: taken list, processing list.
    /// ARGV: now, max deliveries, worker, ttl, dead failure JSON, dead result JSON with `@TASK@` for the id,
    /// dead-letter capacity, lease token, lease ms, queues...
    /// Returns {"run", id, script, caller, context, constants, timeout, reply_to, created_at, signature, queued_at} |
    /// {"skip", id} | {"parked", id} | {"dead", id} | {"none"}. Replies go only to lists of rhailib's naming
    /// (`rhailib:replies:*`, else the task's own).
    static let claim = RedisScript(releaseTurn + """
        local id = redis.call('RPOP', KEYS[1])
        local next = 10
        while (not id) and ARGV[next] do
          id = redis.call('RPOP', ARGV[next])
          next = next + 1
        end
        if not id then return {'none'} end
        local task = 'rhailib:' .. id
        local state = redis.call('HMGET', task, 'status', 'context_id', 'script', 'caller_id', 'constants', 'timeout',
                                 'reply_to', 'created_at', 'signature', 'queued_at')
        local circle = state[2] or ''
        local turn = 'rhailib:turn:' .. circle
        local holder = redis.call('GET', turn)
        if (not state[1]) or state[1] == 'completed' or state[1] == 'error' then
          if holds(holder, id) then releaseTurn(circle, ARGV[9]) end
          return {'skip', id}
        end
        if holder and holder ~= id .. ':' then
          redis.call('RPUSH', 'rhailib:parked:' .. circle, id)
          redis.call('SADD', 'rhailib:parkedcircles', circle)
          return {'parked', id}
        end
        local deliveries = redis.call('HINCRBY', task, 'deliveries', 1)
        if deliveries > tonumber(ARGV[2]) then
          local from, to = string.find(ARGV[6], '@TASK@', 1, true)
          local result = string.sub(ARGV[6], 1, from - 1) .. id .. string.sub(ARGV[6], to + 1)
          local deadLetters = 'rhailib:dead:' .. circle
          redis.call('LPUSH', deadLetters, id)
          redis.call('LTRIM', deadLetters, 0, tonumber(ARGV[7]) - 1)
          redis.call('HSET', task, 'status', 'error', 'error', ARGV[5], 'updated_at', ARGV[1])
          redis.call('EXPIRE', task, ARGV[4])
          local replyTo = state[7]
          if not (replyTo and string.sub(replyTo, 1, 16) == 'rhailib:replies:') then replyTo = 'rhailib:reply:' .. id end
          redis.call('LPUSH', replyTo, result)
          redis.call('EXPIRE', replyTo, ARGV[4])
          if holder then releaseTurn(circle, ARGV[9]) end
          return {'dead', id}
        end
        local seq = redis.call('INCR', 'rhailib:turnseq:' .. circle)
        redis.call('SET', turn, id .. ':' .. ARGV[8], 'PX', ARGV[9])
        redis.call('LPUSH', KEYS[2], id)
        redis.call('HSET', task, 'status', 'processing', 'updated_at', ARGV[1], 'worker', ARGV[3], 'lease', ARGV[8], 'turn_seq', seq)
        return {'run', id, state[3] or '', state[4] or '', circle, state[5] or '', state[6] or '',
                state[7] or '', state[8] or '', state[9] or '', state[10] or ''}
        """)

    /// Record a result once, commit the task's writes to `rhailib:data:{circle}` in the same step, and
    /// hand the result to the gateway that waits for it: on its `reply_to` list when the task names one
    /// (our gateways), else on the task's own reply list (rhailib's layout). With a lease token, only
    /// the attempt holding the task's lease and its circle's turn (or whose turn lapsed with no other
    /// task granted one since: the turn sequence unchanged) may: another is refused and writes nothing;
    /// a refused attempt that still held the task's lease puts the task back at the head of its queue.
    /// KEYS: task hash, processing list, reply list[, anything: the reply is not pushed but returned].
    /// ARGV: id, status, output, error JSON, now, ttl, result JSON, lease token ('' : unfenced), lease ms,
    /// number of writes, then per write: 's' | 'd', path, value.
    /// Returns 1 ({1, reply list} with a fourth key: the caller pushes the reply after WAIT), 0 when
    /// already final (recorded by this attempt), -1 when refused.
    static let complete = RedisScript(releaseTurn + """
        local state = redis.call('HMGET', KEYS[1], 'status', 'reply_to', 'context_id', 'lease', 'turn_seq')
        if state[1] == 'completed' or state[1] == 'error' then
          redis.call('LREM', KEYS[2], 1, ARGV[1])
          if ARGV[8] ~= '' and state[4] ~= ARGV[8] then return -1 end
          return 0
        end
        local circle = state[3] or ''
        local holder = redis.call('GET', 'rhailib:turn:' .. circle)
        if ARGV[8] ~= '' then
          local ours = state[4] == ARGV[8] and state[1] == 'processing'
          local held = holder == ARGV[1] .. ':' .. ARGV[8]
          if (not holder) and state[5] then held = redis.call('GET', 'rhailib:turnseq:' .. circle) == state[5] end
          if not (ours and held) then
            if ours and redis.call('LREM', KEYS[2], 1, ARGV[1]) > 0 then
              redis.call('HSET', KEYS[1], 'status', 'pending', 'updated_at', ARGV[5])
              redis.call('RPUSH', 'rhailib:' .. circle, ARGV[1])
            end
            return -1
          end
        end
        redis.call('LREM', KEYS[2], 1, ARGV[1])
        local writes = tonumber(ARGV[10])
        if writes > 0 then
          local data = 'rhailib:data:' .. circle
          local delta = 0
          for i = 0, writes - 1 do
            local op, path, value = ARGV[11 + 3 * i], ARGV[12 + 3 * i], ARGV[13 + 3 * i]
            local old = redis.call('HSTRLEN', data, path)
            if old > 0 then delta = delta - old - #path end
            if op == 's' then
              redis.call('HSET', data, path, value)
              delta = delta + #value + #path
            else
              redis.call('HDEL', data, path)
            end
          end
          redis.call('HINCRBY', 'rhailib:datainfo:' .. circle, 'bytes', delta)
        end
        redis.call('HSET', KEYS[1], 'status', ARGV[2], 'output', ARGV[3], 'error', ARGV[4], 'updated_at', ARGV[5])
        redis.call('EXPIRE', KEYS[1], ARGV[6])
        local replyTo = state[2]
        if not (replyTo and string.sub(replyTo, 1, 16) == 'rhailib:replies:') then replyTo = KEYS[3] end
        if (not holder) or holds(holder, ARGV[1]) then releaseTurn(circle, ARGV[9]) end
        if #KEYS > 3 then return {1, replyTo} end
        redis.call('LPUSH', replyTo, ARGV[7])
        redis.call('EXPIRE', replyTo, ARGV[6])
        return 1
        """)

    /// Give a leased task back: end the lease and put the task at the head of its queue (the end
    /// workers take from) without counting the delivery; its circle's turn stays reserved for it.
    /// KEYS: task hash, processing list. ARGV: id, now, lease ms. Returns 1, or 0 when the lease was not there.
    static let giveBack = RedisScript(releaseTurn + """
        if redis.call('LREM', KEYS[2], 1, ARGV[1]) == 0 then return 0 end
        local state = redis.call('HMGET', KEYS[1], 'status', 'context_id')
        if state[1] ~= 'processing' or not state[2] then return 0 end
        redis.call('HSET', KEYS[1], 'status', 'pending', 'updated_at', ARGV[2])
        redis.call('HINCRBY', KEYS[1], 'deliveries', -1)
        local turn = 'rhailib:turn:' .. state[2]
        if holds(redis.call('GET', turn), ARGV[1]) then redis.call('SET', turn, ARGV[1] .. ':', 'PX', ARGV[3]) end
        redis.call('RPUSH', 'rhailib:' .. state[2], ARGV[1])
        return 1
        """)

    /// Withdraw a task its caller stopped waiting for, if no worker has taken it yet: it leaves its
    /// queue (or the parked list) and is final (`error`, ARGV[2] the failure JSON), so it never runs;
    /// a turn reserved for it passes on.
    /// KEYS: task hash. ARGV: id, failure JSON, now, ttl, lease ms. Returns 1 when withdrawn.
    static let withdraw = RedisScript(releaseTurn + """
        local state = redis.call('HMGET', KEYS[1], 'status', 'context_id')
        if state[1] ~= 'pending' then return 0 end
        if state[2] then
          redis.call('LREM', 'rhailib:' .. state[2], 1, ARGV[1])
          redis.call('LREM', 'rhailib:parked:' .. state[2], 1, ARGV[1])
          if redis.call('GET', 'rhailib:turn:' .. state[2]) == ARGV[1] .. ':' then releaseTurn(state[2], ARGV[5]) end
        end
        redis.call('HSET', KEYS[1], 'status', 'error', 'error', ARGV[2], 'updated_at', ARGV[3])
        redis.call('EXPIRE', KEYS[1], ARGV[4])
        return 1
        """)

    /// Re-queue the leases (and ids taken but not yet leased) of workers whose heartbeat is older
    /// than the visibility timeout; a turn one of them held goes back to that task first. Then wake
    /// the parked tasks of circles whose turn lapsed with nobody holding it.
    /// The reaping worker itself (ARGV[3], when given) is spared: it is alive, however late its heartbeat.
    /// KEYS: workers zset. ARGV: oldest live heartbeat (unix seconds), lease ms[, the reaping worker].
    /// Returns the number of tasks re-queued.
    static let reap = RedisScript(releaseTurn + """
        local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
        local moved = 0
        for _, worker in ipairs(dead) do
          if worker ~= ARGV[3] then
            for _, list in ipairs({'rhailib:processing:' .. worker, 'rhailib:taken:' .. worker}) do
              while true do
                local id = redis.call('RPOP', list)
                if not id then break end
                local task = 'rhailib:' .. id
                local fields = redis.call('HMGET', task, 'status', 'context_id')
                if fields[2] and fields[1] ~= 'completed' and fields[1] ~= 'error' then
                  redis.call('HSET', task, 'status', 'pending')
                  if holds(redis.call('GET', 'rhailib:turn:' .. fields[2]), id) then
                    redis.call('LPUSH', 'rhailib:parked:' .. fields[2], id)
                    releaseTurn(fields[2], ARGV[2])
                  else
                    redis.call('RPUSH', 'rhailib:' .. fields[2], id)
                  end
                  moved = moved + 1
                end
              end
            end
            redis.call('ZREM', KEYS[1], worker)
          end
        end
        for _, circle in ipairs(redis.call('SMEMBERS', 'rhailib:parkedcircles')) do
          if redis.call('EXISTS', 'rhailib:turn:' .. circle) == 0 then releaseTurn(circle, ARGV[2]) end
        end
        return moved
        """)

    /// Renew the turns a worker's running tasks hold, and its heartbeat.
    /// KEYS: workers zset. ARGV: now (unix seconds), worker, lease ms, then pairs of circle and `id:token`.
    /// Returns how many turns were renewed.
    static let renew = RedisScript("""
        redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
        local renewed = 0
        local i = 4
        while ARGV[i] do
          local turn = 'rhailib:turn:' .. ARGV[i]
          if redis.call('GET', turn) == ARGV[i + 1] then
            redis.call('PEXPIRE', turn, ARGV[3])
            renewed = renewed + 1
          end
          i = i + 2
        end
        return renewed
        """)

    /// Import a circle's data files once (a namespace of the earlier layout): the paths not in the hash
    /// yet, and the mark that the import happened, in one step.
    /// KEYS: data hash, info hash. ARGV: pairs of path and JSON text. Returns 1 when imported, 0 when done before.
    static let importFiles = RedisScript("""
        if redis.call('HSETNX', KEYS[2], 'imported', '1') == 0 then return 0 end
        local delta = 0
        local i = 1
        while ARGV[i] do
          if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 1 then delta = delta + #ARGV[i] + #ARGV[i + 1] end
          i = i + 2
        end
        redis.call('HINCRBY', KEYS[2], 'bytes', delta)
        return 1
        """)
}
