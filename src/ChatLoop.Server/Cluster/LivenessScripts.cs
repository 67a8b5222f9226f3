namespace ChatLoop.Server.Cluster;

/// <summary>The scripts of liveness and reaping (CLUSTER.md "At scale" 3 and 4).</summary>
internal static class LivenessScripts
{
    /// <summary>The value a reaper puts in a dead node's registered key, before the incarnation it had.</summary>
    public const string ReapedMark = "reaped:";

    /// <summary>
    /// A node's one liveness round trip. KEYS: its registered key, its liveness key, the nodes set. ARGV:
    /// incarnation, TTL ms, node id. Refreshes the liveness key only while the registered key holds the
    /// incarnation (or is gone: Redis lost its data and the node is registering again; a reaped node never
    /// refreshes). Returns {status (1 registered, 0 gone, -1 reaped, -2 another incarnation), Redis TIME
    /// seconds and microseconds, replication id, live nodes, {ids of registered nodes whose key is gone}}.
    /// The other nodes' keys are not in KEYS: liveness is global, one small set (not Redis Cluster-ready).
    /// </summary>
    public const string Tick = """
        local t = redis.call('TIME')
        local replid = string.match(redis.call('INFO', 'replication'), 'master_replid:(%w+)') or ''
        local reg = redis.call('GET', KEYS[1])
        local status = -2
        if reg == ARGV[1] then status = 1
        elseif not reg then status = 0
        elseif string.sub(reg, 1, 7) == 'reaped:' then status = -1 end
        if status >= 0 then
          redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
          redis.call('SADD', KEYS[3], ARGV[3])
        end
        local missing = {}
        local live = 0
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do
          if redis.call('EXISTS', 'chatloop:node:' .. id) == 1 then live = live + 1 else missing[#missing + 1] = id end
        end
        return {status, t[1], t[2], replid, live, missing}
        """;

    /// <summary>
    /// Claims the reaping of a node and fences it, in one step. KEYS: the claim, the dead node's registered,
    /// liveness, members and names keys, where its members and names move to, the reaper's registered key.
    /// ARGV: reaper's incarnation, claim ms, how long the reaped mark stays (ms). The dead node's registered
    /// key is marked reaped BEFORE any of its gone events is published: from then on the sequencing refuses
    /// its events, and it learns on its next tick that it was reaped. Its members and names move aside, so a
    /// node that comes back starts a fresh incarnation while the reaper finishes. A reaper that died half way
    /// leaves the mark: the next one (once the claim expired) carries on with what is left.
    /// Returns {1, the dead incarnation} or {0} (alive after all, or claimed), {-3} (the reaper is fenced).
    /// </summary>
    public const string Claim = """
        if redis.call('GET', KEYS[8]) ~= ARGV[1] then return {-3} end
        if redis.call('EXISTS', KEYS[3]) == 1 then return {0} end
        if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
        local reg = redis.call('GET', KEYS[2]) or ''
        if string.sub(reg, 1, 7) == 'reaped:' then return {1, string.sub(reg, 8)} end
        redis.call('SET', KEYS[2], 'reaped:' .. reg, 'PX', ARGV[3])
        if redis.call('EXISTS', KEYS[4]) == 1 then redis.call('RENAME', KEYS[4], KEYS[6]) end
        if redis.call('EXISTS', KEYS[5]) == 1 then redis.call('RENAME', KEYS[5], KEYS[7]) end
        return {1, reg}
        """;
}
