namespace ChatLoop.Server;

/// <summary>The Lua scripts that make the cluster's few compound steps atomic in Redis.</summary>
internal static class ClusterScripts
{
    /// <summary>
    /// Sequences one room event. KEYS: the room's sequence, members and channel, the publishing node's
    /// registered key. ARGV: deadline (Unix ms by Redis's own clock, 0 = none), kind (j, l, c, g), JOIN_ID,
    /// payload, the publisher's incarnation. Returns the sequence number, -1 when the deadline has passed
    /// (the node already answered ERROR 12: never deliver it later), -2 when the membership change is
    /// already made (a repeated join or leave: nothing to publish), -3 when the publisher is not the
    /// registered incarnation (Redis lost its data, or the node was reaped), -4 for a chat of a member not
    /// in the room (reaped, or gone): the fences that keep a reaped node's events out of its rooms.
    /// </summary>
    public const string Publish = """
        if redis.call('GET', KEYS[4]) ~= ARGV[5] then return -3 end
        if ARGV[1] ~= '0' then
          local t = redis.call('TIME')
          if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[1]) then return -1 end
        end
        if ARGV[2] == 'j' then
          if redis.call('SADD', KEYS[2], ARGV[3]) == 0 then return -2 end
        elseif ARGV[2] == 'c' then
          if redis.call('SISMEMBER', KEYS[2], ARGV[3]) == 0 then return -4 end
        else
          if redis.call('SREM', KEYS[2], ARGV[3]) == 0 then return -2 end
        end
        local s = redis.call('INCR', KEYS[1])
        redis.call('PUBLISH', KEYS[3], s .. ':' .. ARGV[4])
        return s
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
