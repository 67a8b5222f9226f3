using NLog;
using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// Registration: the cluster's epoch, this node's id and incarnation, the Redis (replication id) it is
/// registered on, being found reaped and serving again as a new incarnation, and unregistering at stop
/// (registering again after Redis lost data is <see cref="Reregistration"/>'s). Its state is read by every
/// thread of the backplane and changed by the liveness thread and the registration tasks: volatile fields.
/// </summary>
internal sealed class NodeRegistration
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly IDatabase _db;
    private readonly RedisClock _clock;
    private readonly LivenessPace _pace;
    private readonly NodeHealth _health;

    /// <summary>What this node's registered key holds: "id:random", new after the node was reaped.</summary>
    private volatile string _incarnation = "";

    /// <summary>Redis's replication id when this node last registered: another one means another (or a restarted) Redis.</summary>
    private volatile string _replid = "";

    private volatile bool _wasReaped;

    /// <summary>Registers this node (at start, before it listens): measures the clock, takes the epoch and a node id.</summary>
    public NodeRegistration(IDatabase db, RedisClock clock, LivenessPace pace, NodeHealth health)
    {
        _db = db;
        _clock = clock;
        _pace = pace;
        _health = health;
        MeasureClock();
        Epoch = RegisterEpoch();
        NodeId = ClaimNodeId();
        _db.SetAdd(ClusterKeys.Nodes, NodeId);
        _db.ScriptEvaluate(Reregistration.MarkRegisteredOn, [ClusterKeys.RegisteredOn(_replid)], [NodeId]);  // a node waiting for every node to be back counts it
        _db.StringSet(ClusterKeys.Node(NodeId), _incarnation, _pace.Ttl);
    }

    /// <summary>This node's id, unique in the cluster: random, so a node started after Redis lost its data cannot take a live node's.</summary>
    public long NodeId { get; }

    public string Epoch { get; }

    public string Incarnation => _incarnation;

    public string Replid => _replid;

    /// <summary>Registered again on the Redis of <paramref name="replid"/> (<see cref="Reregistration"/>).</summary>
    public void RegisteredAgainOn(string replid) => _replid = replid;

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
