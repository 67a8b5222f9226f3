namespace ChatLoop.Server.Cluster;

/// <summary>The Lua scripts that make the cluster's few compound steps atomic in Redis.</summary>
internal static class ClusterScripts
{
    /// <summary>
    /// Sequences a batch: every event one tick of one node produced (or a reaper's few), in order, in one
    /// atomic run. KEYS[1]: the publisher's registered key; then, for each room in the order the batch first
    /// names it, the room's members, nodes and seq keys. ARGV[1]: the publisher's node id, ARGV[2]: its
    /// incarnation (what its registered key must hold), ARGV[3]: a deadline in Unix ms by Redis's own clock
    /// (0 = none; gone events never have one). Then two fields per unit: the member's JOIN_ID and the piece
    /// (<see cref="EventCodec"/>: kind, count, member's node and room ref are read from it with struct.unpack).
    /// A unit is one event, or a run of a member's consecutive chats in one room (count of them): it takes
    /// count consecutive numbers.
    /// <para>
    /// Whole batch: -3 when the registered key is gone (Redis lost its data), -4 when it holds another value
    /// (another incarnation, or a reaper's mark): nothing is done. Otherwise, per unit: past the deadline
    /// -1 (the node already answered ERROR 12: never deliver it later); a join whose SADD changes nothing or a
    /// leaving whose SREM changes nothing -2 (nothing to publish); chats from a JOIN_ID not in the room's
    /// member set -5 (a departed or reaped member). The room's nodes hash counts each node's members of the
    /// room: a join adds one before its event is routed (the joining node hears it), a leaving takes one
    /// after (the leaving node hears it), at 0 the node is dropped. Each room's numbers are taken with one
    /// INCRBY once the batch is checked; then one PUBLISH per node that follows any of the batch's rooms, on
    /// chatloop:inbox:NODE: the header, then per unit routed to it its first number (i64, little-endian)
    /// and its piece as sent; when every unit goes to the same nodes (the usual case) that message is
    /// made once for all of them. Membership and followers are read once per room per batch (Lua tables).
    /// </para>
    /// Reply: the units refused, as "index:code" (index from 0) joined by ','; empty when all were taken.
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
        local call, pack, unpack, format = redis.call, struct.pack, struct.unpack, string.format
        local rooms, refused = {}, {}
        local takenRoom, takenFirst, takenFollowers, takenSet, takenPiece = {}, {}, {}, {}, {}
        local nextKey, n, unit = 2, 0, 0
        for i = 4, #ARGV, 2 do
          local id, piece = ARGV[i], ARGV[i + 1]
          local kind, count, node, ref = unpack('<xxxxBHi8xxxxxxxxi8', piece)
          if kind > 127 then kind = kind - 128 end
          local r = rooms[ref]
          if not r then
            r = { members = KEYS[nextKey], nodes = KEYS[nextKey + 1], seq = KEYS[nextKey + 2], known = {}, count = 0 }
            nextKey = nextKey + 3
            rooms[ref] = r
          end
          local code = 0
          if late and kind ~= 4 then
            code = -1
          elseif kind == 3 then
            local m = r.known[id]
            if m == nil then
              m = call('SISMEMBER', r.members, id) == 1
              r.known[id] = m
            end
            if not m then code = -5 end
          elseif kind == 1 then
            r.known[id] = true
            if call('SADD', r.members, id) == 0 then
              code = -2
            else
              call('HINCRBY', r.nodes, format('%.0f', node), 1)
              r.followers = nil
            end
          else
            r.known[id] = false
            if call('SREM', r.members, id) == 0 then code = -2 end
          end
          if code ~= 0 then
            refused[#refused + 1] = unit .. ':' .. code
          else
            local f = r.followers
            if not f then
              f = call('HKEYS', r.nodes)
              table.sort(f)
              r.followers = f
              r.set = table.concat(f, ',')
            end
            n = n + 1
            takenRoom[n] = r
            takenFirst[n] = r.count + 1
            takenFollowers[n] = f
            takenSet[n] = r.set
            takenPiece[n] = piece
            r.count = r.count + count
            if kind == 2 or kind == 4 then
              local nd = format('%.0f', node)
              if call('HINCRBY', r.nodes, nd, -1) <= 0 then call('HDEL', r.nodes, nd) end
              r.followers = nil
            end
          end
          unit = unit + 1
        end
        for _, r in pairs(rooms) do
          if r.count > 0 then r.base = call('INCRBY', r.seq, r.count) - r.count end
        end
        local header = ARGV[1] .. '\n'
        local same = n > 0
        for k = 2, n do
          if takenSet[k] ~= takenSet[1] then
            same = false
            break
          end
        end
        if same then
          -- Every unit goes to the same nodes (the usual case): one message, made once, sent to each.
          local list, c = { header }, 1
          for k = 1, n do
            list[c + 1] = pack('<i8', takenRoom[k].base + takenFirst[k])
            list[c + 2] = takenPiece[k]
            c = c + 2
          end
          local message = table.concat(list)
          local f = takenFollowers[1]
          for j = 1, #f do
            call('PUBLISH', 'chatloop:inbox:' .. f[j], message)
          end
          return table.concat(refused, ',')
        end
        local out, length, order = {}, {}, {}
        for k = 1, n do
          local tag = pack('<i8', takenRoom[k].base + takenFirst[k])
          local piece = takenPiece[k]
          local f = takenFollowers[k]
          for j = 1, #f do
            local node = f[j]
            local list = out[node]
            local c = length[node]
            if not list then
              list = { header }
              out[node] = list
              c = 1
              order[#order + 1] = node
            end
            list[c + 1] = tag
            list[c + 2] = piece
            length[node] = c + 2
          end
        end
        for j = 1, #order do
          local node = order[j]
          call('PUBLISH', 'chatloop:inbox:' .. node, table.concat(out[node]))
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
