namespace ChatLoop.Server.Cluster;

/// <summary>
/// Names are leases (CLUSTER.md "At scale" 5): a name key holds the incarnation of the node that claimed
/// it, and the node's names set lists every name it holds, so a reaper frees them all, including names
/// claimed for a JOIN that never got as far as its event.
/// </summary>
internal static class LeaseScripts
{
    /// <summary>
    /// Claims a name. KEYS: the name, the node's names set, its registered key. ARGV: deadline (Unix ms by
    /// Redis's clock), incarnation, replication id. 1 claimed, 0 in use, -1 too late (the JOIN was already
    /// answered ERROR 12: the claim must not outlive it), -3 fenced (<see cref="ClusterScripts.Fence"/>).
    /// </summary>
    public const string ClaimName = ClusterScripts.Fence + """
        if fenced() then return -3 end
        local t = redis.call('TIME')
        if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[1]) then return -1 end
        if not redis.call('SET', KEYS[1], ARGV[2], 'NX') then return 0 end
        redis.call('SADD', KEYS[2], KEYS[1])
        return 1
        """;

    /// <summary>Frees a name while it holds ARGV[1] (this incarnation's). KEYS: the name, the node's names set.</summary>
    public const string ReleaseName = """
        redis.call('SREM', KEYS[2], KEYS[1])
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    /// <summary>A reaper frees a dead incarnation's names (KEYS), each only while it still holds ARGV[1].</summary>
    public const string FreeNames = """
        local n = 0
        for _, k in ipairs(KEYS) do
          if redis.call('GET', k) == ARGV[1] then n = n + redis.call('DEL', k) end
        end
        return n
        """;

    /// <summary>Re-registering after data loss: takes a name back (NX) and lists it. KEYS: the name, names set. ARGV: incarnation.</summary>
    public const string TakeBack = """
        redis.call('SET', KEYS[1], ARGV[1], 'NX')
        if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SADD', KEYS[2], KEYS[1]) end
        return 1
        """;
}
