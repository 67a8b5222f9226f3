using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// Resolving a JOIN: the name claim (a lease of this incarnation, CLUSTER.md "At scale" 5), a JOIN_ID block
/// and the room's ref, each handed out only while this node is registered on the Redis it knows.
/// </summary>
internal sealed partial class RedisBackplane
{
    /// <summary>
    /// Claims the name if the connection has none yet, finds the room's ref and a JOIN_ID, then posts
    /// JoinReady. The claim is a lease of this incarnation, deadlined like events: refused, or answered too
    /// late, it is released before the refusal is posted (<see cref="ReleaseRefusedClaimAsync"/>).
    /// </summary>
    public async Task ResolveJoinAsync(Connection c, string roomName, string clientName, bool claimName, long joinId, long knownRef)
    {
        bool claimSent = false;
        try
        {
            var registered = ClusterKeys.Registered(NodeId);
            string incarnation = _incarnation;
            string replid = _replid;
            if (claimName)
            {
                var claimTask = _db.ScriptEvaluateAsync(
                    LeaseScripts.ClaimName,
                    [ClusterKeys.Name(clientName), ClusterKeys.NodeNames(NodeId), registered],
                    [DeadlineMs(), incarnation, replid]);
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
                        0 => ClusterInbound.Refused(c, ErrorCode.InvalidName, $"name in use: '{clientName}'"),
                        -1 => ClusterInbound.Refused(c, ErrorCode.ClusterUnavailable, "cluster unavailable: the request timed out"),
                        _ => ClusterInbound.Refused(c, ErrorCode.ClusterUnavailable, "cluster unavailable: " + Restarted),
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
                throw new RedisException(Restarted);
            }

            _post(ClusterInbound.JoinReady(c, roomName, clientName, roomRef, joinId, blockEnd));
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

            _post(ClusterInbound.Refused(c, ErrorCode.ClusterUnavailable, "cluster unavailable: " + Describe(e)));
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
        var bound = TimeSpan.FromTicks(Math.Min(_settings.NodeTimeout.Ticks / 2, TimeSpan.FromSeconds(2.5).Ticks));
        long since = _time.GetTimestamp();
        while (true)
        {
            try
            {
                await _db.ScriptEvaluateAsync(LeaseScripts.ReleaseName, [ClusterKeys.Name(name), ClusterKeys.NodeNames(NodeId)], [_incarnation]).ConfigureAwait(false);
                return;
            }
            catch (RedisConnectionException e) when (_time.GetElapsedTime(since) < bound)
            {
                Log.Debug("Cluster: freeing the name {Name} of a refused JOIN: {Why}; trying again", name, e.Message);
                await Task.Delay(LivenessInterval / 2).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                if (e is RedisConnectionException)
                {
                    Log.Warn("Cluster: could not free the name {Name} of a refused JOIN: {Why}", name, Describe(e));
                }

                return;
            }
        }
    }

    /// <summary>Frees a name this node holds (fire and forget).</summary>
    public void ReleaseName(string name) => ReleaseName(name, _incarnation);

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
