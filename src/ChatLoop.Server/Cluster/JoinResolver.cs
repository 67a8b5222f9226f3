using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using NLog;
using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// Resolving a JOIN: the name claim (a lease of this incarnation, CLUSTER.md "At scale" 5), a JOIN_ID block
/// and the room's ref, each handed out only while this node is registered on the Redis it knows; and
/// freeing a name this node holds.
/// </summary>
internal sealed class JoinResolver
{
    /// <summary>JOIN_IDs a node takes from Redis at a time.</summary>
    public const int JoinIdBlock = 1000;

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly IDatabase _db;
    private readonly NodeRegistration _registration;
    private readonly RedisClock _clock;
    private readonly LivenessPace _pace;
    private readonly Action<ClusterInbound> _post;

    public JoinResolver(IDatabase db, NodeRegistration registration, RedisClock clock, LivenessPace pace, Action<ClusterInbound> post)
    {
        _db = db;
        _registration = registration;
        _clock = clock;
        _pace = pace;
        _post = post;
    }

    private long NodeId => _registration.NodeId;

    /// <summary>
    /// Claims the name if the connection has none yet, finds the room's ref and a JOIN_ID, then posts
    /// JoinReady. The claim is a lease of this incarnation, deadlined like events: refused, or answered too
    /// late, it is released before the refusal is posted (<see cref="ReleaseRefusedClaimAsync"/>).
    /// </summary>
    public async Task ResolveAsync(Connection c, string roomName, string clientName, bool claimName, long joinId, long knownRef)
    {
        bool claimSent = false;
        try
        {
            var registered = ClusterKeys.Registered(NodeId);
            string incarnation = _registration.Incarnation;
            string replid = _registration.Replid;
            if (claimName)
            {
                var claimTask = _db.ScriptEvaluateAsync(
                    LeaseScripts.ClaimName,
                    [ClusterKeys.Name(clientName), ClusterKeys.NodeNames(NodeId), registered],
                    [_clock.DeadlineMs(), incarnation, replid]);
                claimSent = true;
                long claim = (long)await claimTask.ConfigureAwait(false);
                if (claim != 1)
                {
                    if (claim != 0)
                    {
                        ReleaseName(clientName, incarnation);
                    }

                    _post(claim switch
                    {
                        0 => new ClusterInbound.Refused(c, ErrorCode.InvalidName, $"name in use: '{clientName}'"),
                        -1 => new ClusterInbound.Refused(c, ErrorCode.ClusterUnavailable, "cluster unavailable: the request timed out"),
                        _ => new ClusterInbound.Refused(c, ErrorCode.ClusterUnavailable, "cluster unavailable: " + RedisErrors.Restarted),
                    });
                    return;
                }
            }

            long blockEnd = 0;
            if (joinId == 0)
            {
                blockEnd = (long)await _db.ScriptEvaluateAsync(ClusterScripts.JoinIdBlock, [ClusterKeys.JoinIds, registered], [JoinIdBlock, incarnation, replid]).ConfigureAwait(false);
                joinId = blockEnd - JoinIdBlock + 1;
            }

            long roomRef = knownRef >= 0
                ? knownRef
                : (long)await _db.ScriptEvaluateAsync(ClusterScripts.RoomRef, [ClusterKeys.Rooms, ClusterKeys.RoomRefs, registered], [roomName, incarnation, replid]).ConfigureAwait(false);
            if (blockEnd < 0 || roomRef < 0)
            {
                throw new RedisException(RedisErrors.Restarted);
            }

            _post(new ClusterInbound.JoinReady(c, new JoinAnswer(roomName, clientName, roomRef, joinId, blockEnd)));
        }
        catch (Exception e)
        {
            if (e is not RedisException and not TimeoutException)
            {
                Log.Error(e, "Cluster: resolving a JOIN failed");
            }

            if (claimSent)
            {
                await ReleaseRefusedClaimAsync(clientName).ConfigureAwait(false);
            }

            _post(new ClusterInbound.Refused(c, ErrorCode.ClusterUnavailable, "cluster unavailable: " + RedisErrors.Describe(e)));
        }
    }

    /// <summary>
    /// A JOIN refused after its name claim was sent (no answer in time, the connection lost) frees the claim
    /// before the refusal is posted: the claim may have been made with its answer lost, and a retry must not
    /// meet it (ERROR 6). A release that times out was written after the claim on the same connection, so it
    /// runs before anything sent later; one that found no connection is tried again for half the node timeout
    /// (2.5 s at most, inside the stuck-request watch). A claim still held after that is freed when this node
    /// registers again after a failover (its stale names go) or is reaped.
    /// </summary>
    private async Task ReleaseRefusedClaimAsync(string name)
    {
        var bound = TimeSpan.FromTicks(Math.Min(_pace.NodeTimeout.Ticks / 2, TimeSpan.FromSeconds(2.5).Ticks));
        long since = _clock.Time.GetTimestamp();
        while (true)
        {
            try
            {
                await _db.ScriptEvaluateAsync(LeaseScripts.ReleaseName, [ClusterKeys.Name(name), ClusterKeys.NodeNames(NodeId)], [_registration.Incarnation]).ConfigureAwait(false);
                return;
            }
            catch (RedisConnectionException e) when (_clock.Time.GetElapsedTime(since) < bound)
            {
                Log.Debug("Cluster: freeing the name {Name} of a refused JOIN: {Why}; trying again", name, e.Message);
                await Task.Delay(_pace.Interval / 2).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                if (e is RedisConnectionException)
                {
                    Log.Warn("Cluster: could not free the name {Name} of a refused JOIN: {Why}", name, RedisErrors.Describe(e));
                }

                return;
            }
        }
    }

    /// <summary>Frees a name this node holds (fire and forget).</summary>
    public void ReleaseName(string name) => ReleaseName(name, _registration.Incarnation);

    private void ReleaseName(string name, string incarnation)
    {
        try
        {
            _db.ScriptEvaluate(LeaseScripts.ReleaseName, [ClusterKeys.Name(name), ClusterKeys.NodeNames(NodeId)], [incarnation], CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Redis unreachable: the name key holds this incarnation, freed when it is reaped or its name is claimed again here.
            Log.Debug("Cluster: releasing name {Name} failed: {Why}", name, e.Message);
        }
    }
}
