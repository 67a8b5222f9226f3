namespace ChatLoop.Server;

/// <summary>The Lua scripts that make the cluster's few compound steps atomic in Redis.</summary>
internal static class ClusterScripts
{
    /// <summary>
    /// Sequences a batch: every event one tick of one node produced (or a reaper's few), in order, in one
    /// atomic run. KEYS[1]: the publisher's registered key. ARGV[1]: the publisher's node id, ARGV[2]: its
    /// incarnation (what its registered key must hold), ARGV[3]: a deadline in Unix ms by Redis's own clock
    /// (0 = none; gone events never have one). Then five fields per event: kind (j join, l leave, c chat,
    /// g gone), room ref, JOIN_ID, the member's node id, the piece (<see cref="EventCodec"/>).
    /// <para>
    /// Whole batch: -3 when the registered key is gone (Redis lost its data), -4 when it holds another value
    /// (another incarnation, or a reaper's mark): nothing is done. Otherwise, per event: past the deadline
    /// -1 (the node already answered ERROR 12: never deliver it later); a join whose SADD changes nothing or a
    /// leaving whose SREM changes nothing -2 (nothing to publish); a chat from a JOIN_ID not in the room's
    /// member set -5 (a departed or reaped member); else the room's next number. {room:R}:nodes counts each
    /// node's members of the room: a join adds one before its event is routed (the joining node hears it), a
    /// leaving takes one after (the leaving node hears it), at 0 the node is dropped. Each event goes to the
    /// room's nodes: one PUBLISH per node at the end, on chatloop:inbox:NODE, of the header and, per event,
    /// "seq:" and the piece. Membership, numbers and followers are read once per room per batch and kept in
    /// Lua tables; numbers are written back once per room.
    /// </para>
    /// Reply: the events refused, as "index:code" (index from 0) joined by ','; empty when all were taken.
    /// </summary>
    public const string PublishBatch = """
        local reg = redis.call('GET', KEYS[1])
        if not reg then return -3 end
        if reg ~= ARGV[2] then return -4 end
        local late = false
        if ARGV[3] ~= '0' then
          local t = redis.call('TIME')
          late = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[3])
        end
        local header = ARGV[1] .. '\n'
        local rooms, out, order, refused = {}, {}, {}, {}
        local n = 0
        for i = 4, #ARGV, 5 do
          local kind, ref, id, node = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
          local r = rooms[ref]
          if not r then
            local p = '{room:' .. ref .. '}:'
            r = { members = p .. 'members', nodes = p .. 'nodes', seqkey = p .. 'seq', known = {} }
            rooms[ref] = r
          end
          local code = 0
          if late and kind ~= 'g' then
            code = -1
          elseif kind == 'c' then
            local m = r.known[id]
            if m == nil then
              m = redis.call('SISMEMBER', r.members, id) == 1
              r.known[id] = m
            end
            if not m then code = -5 end
          elseif kind == 'j' then
            r.known[id] = true
            if redis.call('SADD', r.members, id) == 0 then
              code = -2
            else
              redis.call('HINCRBY', r.nodes, node, 1)
              r.followers = nil
            end
          else
            r.known[id] = false
            if redis.call('SREM', r.members, id) == 0 then code = -2 end
          end
          if code ~= 0 then
            refused[#refused + 1] = n .. ':' .. code
          else
            if not r.seq then r.seq = tonumber(redis.call('GET', r.seqkey) or '0') end
            r.seq = r.seq + 1
            if not r.followers then r.followers = redis.call('HKEYS', r.nodes) end
            local tag = r.seq .. ':'
            local piece = ARGV[i + 4]
            for _, f in ipairs(r.followers) do
              local list = out[f]
              if not list then
                list = { header }
                out[f] = list
                order[#order + 1] = f
              end
              list[#list + 1] = tag
              list[#list + 1] = piece
            end
            if kind == 'l' or kind == 'g' then
              if redis.call('HINCRBY', r.nodes, node, -1) <= 0 then redis.call('HDEL', r.nodes, node) end
              r.followers = nil
            end
          end
          n = n + 1
        end
        for _, r in pairs(rooms) do
          if r.seq then redis.call('SET', r.seqkey, r.seq) end
        end
        for _, f in ipairs(order) do
          redis.call('PUBLISH', 'chatloop:inbox:' .. f, table.concat(out[f]))
        end
        return table.concat(refused, ',')
        """;

    /// <summary>
    /// A room name's ref: the one it has, or the next from the counter. KEYS: rooms hash, counter, registered.
    /// ARGV: name, incarnation, replication id. -3 unless the node is registered on the Redis it knows.
    /// </summary>
    public const string RoomRef = Fence + """
        if fenced() then return -3 end
        local r = redis.call('HGET', KEYS[1], ARGV[1])
        if r then return tonumber(r) end
        r = redis.call('INCR', KEYS[2]) - 1
        redis.call('HSET', KEYS[1], ARGV[1], r)
        return r
        """;

    /// <summary>A block of JOIN_IDs: KEYS: counter, registered. ARGV: block size, incarnation, replication id. Its last id, or -3 (see <see cref="Fence"/>).</summary>
    public const string JoinIdBlock = Fence + """
        if fenced() then return -3 end
        return redis.call('INCRBY', KEYS[1], ARGV[1])
        """;

    /// <summary>
    /// The start of a script that hands out a counter: fenced() is true unless the node's registered key
    /// (KEYS[#KEYS]) holds its incarnation (ARGV[2]) and Redis's replication id is the one the node last
    /// saw (ARGV[3]). A failover to a replica that missed writes keeps the keys it had but changes the id:
    /// until the node has noticed and moved the counters past what it has seen, nothing is handed out.
    /// </summary>
    public const string Fence = """
        local function fenced()
          if redis.call('GET', KEYS[#KEYS]) ~= ARGV[2] then return true end
          local id = string.match(redis.call('INFO', 'replication'), 'master_replid:(%w+)')
          return id ~= ARGV[3]
        end

        """;

    /// <summary>Moves a counter up to at least ARGV[1] (registering again after Redis lost its data).</summary>
    public const string AtLeast = """
        local v = tonumber(redis.call('GET', KEYS[1]) or '0')
        if v < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
        return 1
        """;
}
