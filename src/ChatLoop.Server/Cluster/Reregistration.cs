using NLog;
using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// Registering again what the node holds when Redis lost data (a restart without persistence, a failover to
/// a replica that missed writes). Restarts and failovers are gaps (CLUSTER.md "At scale" 6): counters move
/// past every value this node has seen (room refs, JOIN_IDs, each followed room's sequence) before it serves
/// again. Started by the liveness thread, run as a task with what the reactor holds: volatile fields.
/// </summary>
internal sealed class Reregistration
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly IDatabase _db;
    private readonly TimeProvider _time;
    private readonly NodeRegistration _registration;
    private readonly LivenessPace _pace;
    private readonly NodeHealth _health;
    private readonly Action<ClusterInbound> _post;

    /// <summary>The replication id of the Redis to register on (the one last seen).</summary>
    private volatile string _nextReplid;
    private volatile bool _inProgress;

    public Reregistration(IDatabase db, TimeProvider time, NodeRegistration registration, LivenessPace pace, NodeHealth health, Action<ClusterInbound> post)
    {
        _db = db;
        _time = time;
        _registration = registration;
        _pace = pace;
        _health = health;
        _post = post;
        _nextReplid = registration.Replid;
    }

    /// <summary>Registering again is under way (requests are refused meanwhile).</summary>
    public bool InProgress => _inProgress;

    private long NodeId => _registration.NodeId;

    /// <summary>Liveness thread: Redis may have lost data; the reactor is asked for what this node holds (once).</summary>
    public void Start(string replid, string why)
    {
        _nextReplid = replid;
        if (_inProgress)
        {
            return;
        }

        Log.Warn("Cluster: {Why}; node {Node} registers again", why, NodeId);
        _health.MarkDown(why + "; registering again");
        _inProgress = true;
        _post(new ClusterInbound.Reregister());
    }

    /// <summary>
    /// Reactor thread, after <see cref="ClusterInbound.Reregister"/>: registers again what this node holds
    /// (<paramref name="loadScripts"/> first: Redis's script cache may be empty too), then serves once its
    /// inbox works (<paramref name="inboxWorks"/>) and every registered node is back.
    /// </summary>
    public async Task ReregisterAsync(ClusterSnapshot snapshot, Func<Task> loadScripts, Func<Task<bool>> inboxWorks)
    {
        try
        {
            string incarnation = _registration.Incarnation;
            string replid = _nextReplid;
            await loadScripts().ConfigureAwait(false);
            await _db.StringSetAsync(ClusterKeys.Epoch, _registration.Epoch, when: When.NotExists).ConfigureAwait(false);
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

            // Events are routed by the follower counts each node restores for itself: serving before every
            // node has registered again routes events past a late one (its connection came back later), and
            // its members miss them. Wait two liveness intervals at least, and until every registered node is
            // back (the node timeout at most: a node not back by then is late enough to be taken for dead).
            // A node counts as back only once its inbox works on this Redis: after a failover the subscription
            // may come back without the channel on it, and events routed to it would be lost.
            if (!await inboxWorks().ConfigureAwait(false))
            {
                Log.Warn("Node {Node}: its inbox subscription does not work yet; registering again at the next tick", NodeId);
                _inProgress = false;
                return;
            }

            await MarkRegisteredOnAsync(replid).ConfigureAwait(false);
            await Task.Delay(_pace.Interval * 2).ConfigureAwait(false);
            await WaitForEveryNodeAsync(replid).ConfigureAwait(false);
            _registration.RegisteredAgainOn(replid);
            _inProgress = false;
            _health.MarkUp();
            _post(new ClusterInbound.Registered());
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Log.Warn("Registering again failed ({Why}); retrying", e.Message);
            _inProgress = false;
        }
    }

    /// <summary>This node counts as registered on Redis of this replication id (kept a day).</summary>
    internal const string MarkRegisteredOn = "redis.call('SADD', KEYS[1], ARGV[1]) redis.call('EXPIRE', KEYS[1], 86400)";

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

            if (_time.GetElapsedTime(since) >= _pace.NodeTimeout)
            {
                Log.Warn("Cluster: nodes {Late} have not registered again within the node timeout; node {Node} serves without them", string.Join(',', late), NodeId);
                return;
            }

            await Task.Delay(_pace.Interval / 2).ConfigureAwait(false);
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
}
