using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// Registration: the cluster's epoch, this node's id and incarnation, and registering again what the node
/// holds when Redis lost data (a restart without persistence, a failover to a replica that missed writes).
/// Restarts and failovers are gaps (CLUSTER.md "At scale" 6): counters move past every value this node has
/// seen (room refs, JOIN_IDs, each followed room's sequence) before it serves again.
/// </summary>
internal sealed partial class RedisBackplane
{
    private readonly string _epoch;

    /// <summary>What this node's registered key holds: "id:random", new after the node was reaped.</summary>
    private volatile string _incarnation = "";

    /// <summary>Redis's replication id when this node last registered: another one means another (or a restarted) Redis.</summary>
    private volatile string _replid = "";

    private volatile string _nextReplid = "";
    private volatile bool _reregistering;

    /// <summary>Liveness thread: Redis may have lost data; the reactor is asked for what this node holds (once).</summary>
    private void StartRegisteringAgain(string replid, string why)
    {
        _nextReplid = replid;
        if (_reregistering)
        {
            return;
        }

        Log.Warn("Cluster: {Why}; node {Node} registers again", why, NodeId);
        _down = why + "; registering again";
        _reregistering = true;
        _missingSince.Clear();
        _post(ClusterInbound.Reregister());
    }

    /// <summary>Reactor thread, after <see cref="ClusterInbound.Reregister"/>: registers again what this node holds.</summary>
    public async Task ReregisterAsync(ClusterSnapshot snapshot)
    {
        try
        {
            string incarnation = _incarnation;
            string replid = _nextReplid;
            await LoadScriptsAsync().ConfigureAwait(false);
            await _db.StringSetAsync(ClusterKeys.Epoch, _epoch, when: When.NotExists).ConfigureAwait(false);
            await _db.SetAddAsync(ClusterKeys.Nodes, NodeId).ConfigureAwait(false);
            await _db.ScriptEvaluateAsync(ClusterScripts.AtLeast, [ClusterKeys.JoinIds], [snapshot.JoinIdBlockEnd]).ConfigureAwait(false);
            await _db.ScriptEvaluateAsync(ClusterScripts.AtLeast, [ClusterKeys.RoomRefs], [snapshot.NextRoomRef]).ConfigureAwait(false);
            foreach (var (roomRef, seq) in snapshot.Seqs)
            {
                // A room's sequence never starts again at 1: events some node saw and Redis lost are a gap to the others.
                await _db.ScriptEvaluateAsync(ClusterScripts.AtLeast, [ClusterKeys.RoomSeq(roomRef)], [seq]).ConfigureAwait(false);
            }

            foreach (var (name, roomRef) in snapshot.Rooms)
            {
                await _db.HashSetAsync(ClusterKeys.Rooms, name, roomRef, When.NotExists).ConfigureAwait(false);
            }

            var followed = await ForgetStaleAsync(snapshot, incarnation).ConfigureAwait(false);
            foreach (var m in snapshot.Members)
            {
                await _db.ScriptEvaluateAsync(LeaseScripts.TakeBack, [ClusterKeys.Name(m.Name), ClusterKeys.NodeNames(NodeId)], [incarnation]).ConfigureAwait(false);
                foreach (long roomRef in m.Refs)
                {
                    await _db.SetAddAsync(ClusterKeys.RoomMembers(roomRef), m.JoinId).ConfigureAwait(false);
                    followed[roomRef] = followed.GetValueOrDefault(roomRef) + 1;
                }

                await _db.HashSetAsync(ClusterKeys.NodeMembers(NodeId), m.JoinId, m.Name + "\n" + string.Join(',', m.Refs)).ConfigureAwait(false);
            }

            // Each room's follower count for this node, as the batch script keeps it: set outright, since
            // after a failover Redis may hold a count from before writes it lost.
            foreach (var (roomRef, count) in followed)
            {
                if (count > 0)
                {
                    await _db.HashSetAsync(ClusterKeys.RoomNodes(roomRef), NodeId, count).ConfigureAwait(false);
                }
                else
                {
                    await _db.HashDeleteAsync(ClusterKeys.RoomNodes(roomRef), NodeId).ConfigureAwait(false);
                }
            }

            await _db.StringSetAsync(ClusterKeys.Registered(NodeId), incarnation).ConfigureAwait(false);
            await _db.StringSetAsync(ClusterKeys.Node(NodeId), incarnation, LivenessTtl).ConfigureAwait(false);
            Log.Info("Node {Node} registered again: {Rooms} rooms, {Members} members", NodeId, snapshot.Rooms.Count, snapshot.Members.Count);

            // Events are routed by the follower counts each node restores for itself: serving before every
            // node has registered again routes events past a late one (its connection came back later), and
            // its members miss them. Wait two liveness intervals at least, and until every registered node is
            // back (the node timeout at most: a node not back by then is late enough to be taken for dead).
            // A node counts as back only once its inbox works on this Redis: after a failover the subscription
            // may come back without the channel on it, and events routed to it would be lost.
            if (!await InboxWorksAsync().ConfigureAwait(false))
            {
                Log.Warn("Node {Node}: its inbox subscription does not work yet; registering again at the next tick", NodeId);
                _reregistering = false;
                return;
            }

            await MarkRegisteredOnAsync(replid).ConfigureAwait(false);
            await Task.Delay(LivenessInterval * 2).ConfigureAwait(false);
            await WaitForEveryNodeAsync(replid).ConfigureAwait(false);
            _replid = replid;
            _reregistering = false;
            _down = null;
            _post(ClusterInbound.Registered());
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Warn("Registering again failed ({Why}); retrying", e.Message);
            _reregistering = false;
        }
    }

    /// <summary>This node counts as registered on Redis of this replication id (kept a day).</summary>
    private const string MarkRegisteredOn = "redis.call('SADD', KEYS[1], ARGV[1]) redis.call('EXPIRE', KEYS[1], 86400)";

    private Task MarkRegisteredOnAsync(string replid) =>
        _db.ScriptEvaluateAsync(MarkRegisteredOn, [ClusterKeys.RegisteredOn(replid)], [NodeId]);

    private async Task WaitForEveryNodeAsync(string replid)
    {
        long since = _time.GetTimestamp();
        while (true)
        {
            var back = (await _db.SetMembersAsync(ClusterKeys.RegisteredOn(replid)).ConfigureAwait(false)).Select(v => (string)v!).ToHashSet();
            var late = (await _db.SetMembersAsync(ClusterKeys.Nodes).ConfigureAwait(false)).Select(v => (string)v!).Where(id => !back.Contains(id)).ToArray();
            if (late.Length == 0)
            {
                return;
            }

            if (_time.GetElapsedTime(since) >= _settings.NodeTimeout)
            {
                Log.Warn("Cluster: nodes {Late} have not registered again within the node timeout; node {Node} serves without them", string.Join(',', late), NodeId);
                return;
            }

            await Task.Delay(LivenessInterval / 2).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// After a failover Redis may hold what this node had before its last writes were lost: members that have
    /// left since (still in their rooms' sets) and names it no longer holds. They go, so they are never reaped
    /// or held again. Returns the rooms they were in, each with no member counted yet.
    /// </summary>
    private async Task<Dictionary<long, int>> ForgetStaleAsync(ClusterSnapshot snapshot, string incarnation)
    {
        var rooms = new Dictionary<long, int>();
        var held = snapshot.Members.Select(m => m.JoinId).ToHashSet();
        foreach (var entry in await _db.HashGetAllAsync(ClusterKeys.NodeMembers(NodeId)).ConfigureAwait(false))
        {
            long joinId = (long)entry.Name;
            var refs = ((string)entry.Value!).Split('\n')[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse);
            foreach (long roomRef in refs)
            {
                rooms[roomRef] = 0;
                if (!held.Contains(joinId))
                {
                    await _db.SetRemoveAsync(ClusterKeys.RoomMembers(roomRef), joinId).ConfigureAwait(false);
                }
            }
        }

        await _db.KeyDeleteAsync(ClusterKeys.NodeMembers(NodeId)).ConfigureAwait(false);
        var names = snapshot.Members.Select(m => (string)ClusterKeys.Name(m.Name)!).ToHashSet();
        foreach (var key in await _db.SetMembersAsync(ClusterKeys.NodeNames(NodeId)).ConfigureAwait(false))
        {
            if (!names.Contains((string)key!))
            {
                await _db.ScriptEvaluateAsync(LeaseScripts.FreeNames, [(string)key!], [incarnation]).ConfigureAwait(false);
                await _db.SetRemoveAsync(ClusterKeys.NodeNames(NodeId), key).ConfigureAwait(false);
            }
        }

        return rooms;
    }

    /// <summary>
    /// Reactor thread, once the clients of a reaped node are closed: the node serves again as a new
    /// incarnation (its old one's members and names are the reaper's to finish).
    /// </summary>
    public async Task ReincarnateAsync()
    {
        string incarnation = NewIncarnation(NodeId);
        try
        {
            await _db.StringSetAsync(ClusterKeys.Registered(NodeId), incarnation).ConfigureAwait(false);
            await _db.StringSetAsync(ClusterKeys.Node(NodeId), incarnation, LivenessTtl).ConfigureAwait(false);
            await _db.SetAddAsync(ClusterKeys.Nodes, NodeId).ConfigureAwait(false);
            _incarnation = incarnation;
            _wasReaped = false;
            _down = null;
            Log.Warn("Node {Node} serves again as a new incarnation", NodeId);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Warn("Node {Node}: serving again after being reaped failed ({Why}); retrying", NodeId, e.Message);
            _wasReaped = false;  // the next liveness tick finds the mark again and starts over
        }
    }

    /// <summary>
    /// The cluster's epoch, "created-ms-guid", made by the first node. Within two liveness intervals of its
    /// making (Redis new, or restarted empty) a node waits them out before serving: nodes that survived the
    /// restart register again within that time and move the JOIN_ID counter past the ids their clients hold.
    /// </summary>
    private string RegisterEpoch()
    {
        long now = WallClockMs() + Interlocked.Read(ref _clockOffsetMs);
        _db.StringSet(ClusterKeys.Epoch, $"{now}-{Guid.NewGuid():N}", when: When.NotExists);
        string epoch = _db.StringGet(ClusterKeys.Epoch)!;
        int dash = epoch.IndexOf('-');
        if (dash > 0 && long.TryParse(epoch.AsSpan(0, dash), out long created))
        {
            var wait = (LivenessInterval * 2) - TimeSpan.FromMilliseconds(now - created);
            if (wait > TimeSpan.Zero)
            {
                Log.Info("A new cluster epoch: waiting {Wait} ms for surviving nodes to register again", (long)wait.TotalMilliseconds);
                Thread.Sleep(wait);  // once, at start, before the node listens
            }
        }

        return epoch;
    }

    /// <summary>A random id, claimed with the node's registered key (SET NX), so no two nodes can share one.</summary>
    private long ClaimNodeId()
    {
        while (true)
        {
            long id = Random.Shared.NextInt64(1, 1L << 53);
            string incarnation = NewIncarnation(id);
            if (_db.StringSet(ClusterKeys.Registered(id), incarnation, when: When.NotExists))
            {
                _incarnation = incarnation;
                return id;
            }
        }
    }

    private static string NewIncarnation(long id) => $"{id}:{Guid.NewGuid():N}";

    private void MeasureClock()
    {
        long before = WallClockMs();
        var time = (RedisResult[])_db.Execute("TIME")!;
        SetClockOffset(before, (long)time[0], (long)time[1]);
        var info = (string)_db.Execute("INFO", "replication")!;
        _replid = ReplicationId(info);
        _nextReplid = _replid;
    }

    private static string ReplicationId(string info)
    {
        foreach (var line in info.Split('\n'))
        {
            if (line.StartsWith("master_replid:", StringComparison.Ordinal))
            {
                return line["master_replid:".Length..].Trim();
            }
        }

        return "";
    }
}
