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
    private readonly Action<ClusterInbound> _post;

    public JoinResolver(IDatabase db, NodeRegistration registration, RedisClock clock, Action<ClusterInbound> post)
    {
        _db = db;
        _registration = registration;
        _clock = clock;
        _post = post;
    }

    private long NodeId => _registration.NodeId;

    /// <summary>
    /// Claims the name if the connection has none yet, finds the room's ref and a JOIN_ID, then posts
    /// JoinReady. The claim is a lease of this incarnation, deadlined like events: refused, or answered too
    /// late, it is released (the release runs after the claim on the same connection, whenever Redis gets to it).
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
                        0 => ClusterInbound.Refused(c, ErrorCode.InvalidName, $"name in use: '{clientName}'"),
                        -1 => ClusterInbound.Refused(c, ErrorCode.ClusterUnavailable, "cluster unavailable: the request timed out"),
                        _ => ClusterInbound.Refused(c, ErrorCode.ClusterUnavailable, "cluster unavailable: " + RedisErrors.Restarted),
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

            _post(ClusterInbound.JoinReady(c, new JoinAnswer(roomName, clientName, roomRef, joinId, blockEnd)));
        }
        catch (Exception e)
        {
            if (e is not RedisException and not TimeoutException)
            {
                Log.Error(e, "Cluster: resolving a JOIN failed");
            }

            if (claimSent)
            {
                ReleaseName(clientName);
            }

            _post(ClusterInbound.Refused(c, ErrorCode.ClusterUnavailable, "cluster unavailable: " + RedisErrors.Describe(e)));
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
