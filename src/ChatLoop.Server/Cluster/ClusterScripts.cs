namespace ChatLoop.Server;

/// <summary>The Lua scripts that make the cluster's few compound steps atomic in Redis.</summary>
internal static class ClusterScripts
{
    /// <summary>
    /// Sequences one room event. KEYS: the room's sequence, members and channel, the node's registered
    /// key. ARGV: deadline (Unix ms by Redis's own clock, 0 = none), kind (j, l, c, g), JOIN_ID, payload.
    /// Returns the sequence number, -1 when the deadline has passed (the node already answered ERROR 12:
    /// never deliver it later), -2 when the membership change is already made (a repeated join or leave:
    /// nothing to publish), -3 when Redis has lost the node's registration (it restarted empty).
    /// </summary>
    public const string Publish = """
        if redis.call('EXISTS', KEYS[4]) == 0 then return -3 end
        if ARGV[1] ~= '0' then
          local t = redis.call('TIME')
          if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[1]) then return -1 end
        end
        if ARGV[2] == 'j' then
          if redis.call('SADD', KEYS[2], ARGV[3]) == 0 then return -2 end
        elseif ARGV[2] ~= 'c' then
          if redis.call('SREM', KEYS[2], ARGV[3]) == 0 then return -2 end
        end
        local s = redis.call('INCR', KEYS[1])
        redis.call('PUBLISH', KEYS[3], s .. ':' .. ARGV[4])
        return s
        """;

    /// <summary>A room name's ref: the one it has, or the next from the counter. KEYS: rooms hash, counter, registered. ARGV: name.</summary>
    public const string RoomRef = """
        if redis.call('EXISTS', KEYS[3]) == 0 then return -3 end
        local r = redis.call('HGET', KEYS[1], ARGV[1])
        if r then return tonumber(r) end
        r = redis.call('INCR', KEYS[2]) - 1
        redis.call('HSET', KEYS[1], ARGV[1], r)
        return r
        """;

    /// <summary>Claims a name for a node (SET NX). KEYS: the name, registered. ARGV: node. 1 claimed, 0 in use, -3 not registered.</summary>
    public const string ClaimName = """
        if redis.call('EXISTS', KEYS[2]) == 0 then return -3 end
        if redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 1 end
        return 0
        """;

    /// <summary>A block of JOIN_IDs: KEYS: counter, registered. ARGV: block size. Its last id, or -3 when not registered.</summary>
    public const string JoinIdBlock = """
        if redis.call('EXISTS', KEYS[2]) == 0 then return -3 end
        return redis.call('INCRBY', KEYS[1], ARGV[1])
        """;

    /// <summary>Moves a counter up to at least ARGV[1] (registering again after Redis lost its data).</summary>
    public const string AtLeast = """
        local v = tonumber(redis.call('GET', KEYS[1]) or '0')
        if v < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
        return 1
        """;

    /// <summary>Deletes KEYS[1] only while it holds ARGV[1] (a name this node owns).</summary>
    public const string DeleteIfOwned = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;
}
