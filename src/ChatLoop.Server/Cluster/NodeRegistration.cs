using NLog;
using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// Registration: the cluster's epoch, this node's id and incarnation, and registering again what the node
/// holds when Redis lost data (a restart without persistence, a failover to a replica that missed writes).
/// Restarts and failovers are gaps (CLUSTER.md "At scale" 6): counters move past every value this node has
/// seen (room refs, JOIN_IDs, each followed room's sequence) before it serves again. Its state is read by
/// every thread of the backplane and changed by the liveness thread and its own tasks: volatile fields.
/// </summary>
internal sealed class NodeRegistration
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly IDatabase _db;
    private readonly RedisClock _clock;
    private readonly LivenessPace _pace;
    private readonly NodeHealth _health;
    private readonly Action<ClusterInbound> _post;

    /// <summary>What this node's registered key holds: "id:random", new after the node was reaped.</summary>
    private volatile string _incarnation = "";

    /// <summary>Redis's replication id when this node last registered: another one means another (or a restarted) Redis.</summary>
    private volatile string _replid = "";

    private volatile string _nextReplid = "";
    private volatile bool _reregistering;
    private volatile bool _wasReaped;

    /// <summary>Registers this node (at start, before it listens): measures the clock, takes the epoch and a node id.</summary>
    public NodeRegistration(IDatabase db, RedisClock clock, LivenessPace pace, NodeHealth health, Action<ClusterInbound> post)
    {
        _db = db;
        _clock = clock;
        _pace = pace;
        _health = health;
        _post = post;
        MeasureClock();
        Epoch = RegisterEpoch();
        NodeId = ClaimNodeId();
        _db.SetAdd(ClusterKeys.Nodes, NodeId);
        _db.StringSet(ClusterKeys.Node(NodeId), _incarnation, _pace.Ttl);
    }

    /// <summary>This node's id, unique in the cluster: random, so a node started after Redis lost its data cannot take a live node's.</summary>
    public long NodeId { get; }

    public string Epoch { get; }

    public string Incarnation => _incarnation;

    public string Replid => _replid;

    /// <summary>Registering again is under way (requests are refused meanwhile).</summary>
    public bool Reregistering => _reregistering;

    /// <summary>Liveness thread: Redis may have lost data; the reactor is asked for what this node holds (once).</summary>
    public void StartRegisteringAgain(string replid, string why)
    {
        _nextReplid = replid;
        if (_reregistering)
        {
            return;
        }

        Log.Warn("Cluster: {Why}; node {Node} registers again", why, NodeId);
        _health.MarkDown(why + "; registering again");
        _reregistering = true;
        _post(ClusterInbound.Reregister());
    }

    /// <summary>
    /// Reactor thread, after <see cref="ClusterInbound.Reregister"/>: registers again what this node holds
    /// (<paramref name="loadScripts"/> first: Redis's script cache may be empty too).
    /// </summary>
    public async Task ReregisterAsync(ClusterSnapshot snapshot, Func<Task> loadScripts)
    {
        try
        {
            string incarnation = _incarnation;
            string replid = _nextReplid;
            await loadScripts().ConfigureAwait(false);
            await _db.StringSetAsync(ClusterKeys.Epoch, Epoch, when: When.NotExists).ConfigureAwait(false);
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

                await _db.HashSetAsync(ClusterKeys.NodeMembers(NodeId), m.JoinId, MemberRecords.Format(m.Name, m.Refs)).ConfigureAwait(false);
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
            await _db.StringSetAsync(ClusterKeys.Node(NodeId), incarnation, _pace.Ttl).ConfigureAwait(false);
            Log.Info("Node {Node} registered again: {Rooms} rooms, {Members} members", NodeId, snapshot.Rooms.Count, snapshot.Members.Count);

            // Every node notices within a liveness interval: give them time to register what they hold
            // before this node hands out refs and JOIN_IDs again, and before it compares sequences.
            await Task.Delay(_pace.Interval * 2).ConfigureAwait(false);
            _replid = replid;
            _reregistering = false;
            _health.MarkUp();
            _post(ClusterInbound.Registered());
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Warn("Registering again failed ({Why}); retrying", e.Message);
            _reregistering = false;
        }
    }

    /// <summary>
    /// Liveness thread: survivors took this node for dead and fenced it. True the first time (the reactor is
    /// then told, once, until the node serves again as a new incarnation).
    /// </summary>
    public bool TryMarkReaped()
    {
        if (_wasReaped)
        {
            return false;
        }

        _wasReaped = true;
        return true;
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
            await _db.StringSetAsync(ClusterKeys.Node(NodeId), incarnation, _pace.Ttl).ConfigureAwait(false);
            await _db.SetAddAsync(ClusterKeys.Nodes, NodeId).ConfigureAwait(false);
            _incarnation = incarnation;
            _wasReaped = false;
            _health.MarkUp();
            Log.Warn("Node {Node} serves again as a new incarnation", NodeId);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Warn("Node {Node}: serving again after being reaped failed ({Why}); retrying", NodeId, e.Message);
            _wasReaped = false;  // the next liveness tick finds the mark again and starts over
        }
    }

    /// <summary>
    /// A node stopping: with <paramref name="everyoneLeft"/> its registration goes; otherwise only its
    /// liveness key, so survivors reap the members still recorded (and free their names) without waiting
    /// for the key's TTL.
    /// </summary>
    public void Unregister(bool everyoneLeft)
    {
        if (everyoneLeft)
        {
            _db.KeyDelete([ClusterKeys.Node(NodeId), ClusterKeys.NodeMembers(NodeId), ClusterKeys.NodeNames(NodeId), ClusterKeys.Registered(NodeId)]);
            _db.SetRemove(ClusterKeys.Nodes, NodeId);
        }
        else
        {
            Log.Warn("Node {Node} stops with clients not yet out of their rooms; survivors will reap them", NodeId);
            _db.KeyDelete(ClusterKeys.Node(NodeId));
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
            foreach (long roomRef in MemberRecords.Parse(entry.Value).Refs)
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
    /// The cluster's epoch, "created-ms-guid", made by the first node. Within two liveness intervals of its
    /// making (Redis new, or restarted empty) a node waits them out before serving: nodes that survived the
    /// restart register again within that time and move the JOIN_ID counter past the ids their clients hold.
    /// </summary>
    private string RegisterEpoch()
    {
        long now = _clock.RedisNowMs();
        _db.StringSet(ClusterKeys.Epoch, $"{now}-{Guid.NewGuid():N}", when: When.NotExists);
        string epoch = _db.StringGet(ClusterKeys.Epoch)!;
        int dash = epoch.IndexOf('-');
        if (dash > 0 && long.TryParse(epoch.AsSpan(0, dash), out long created))
        {
            var wait = (_pace.Interval * 2) - TimeSpan.FromMilliseconds(now - created);
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
        long before = _clock.WallClockMs();
        var time = (RedisResult[])_db.Execute("TIME")!;
        _clock.SetOffset(before, (long)time[0], (long)time[1]);
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
