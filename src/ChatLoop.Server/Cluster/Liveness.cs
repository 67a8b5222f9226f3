using NLog;
using StackExchange.Redis;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// Liveness (CLUSTER.md "At scale" 3): a thread of its own refreshes this node's key on a connection of its
/// own, one script round trip per interval that also lists the nodes whose key is gone; it never waits for
/// publishing or reaping. A node whose key has stayed gone for a grace period, counted only while this
/// node's own refreshes succeed, is handed to the reaper, which works in the background. A paused Redis
/// lets every key expire at once, but every live node refreshes its own within one interval of Redis
/// answering again, well inside the grace period.
/// </summary>
internal sealed class Liveness : IDisposable
{
    /// <summary>A TIME answered slower than this says little about the offset (it is off by up to half the round trip): the last one stays.</summary>
    private static readonly TimeSpan SlowClockReading = TimeSpan.FromMilliseconds(100);

    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly RedisClock _clock;
    private readonly TimeProvider _time;
    private readonly LivenessPace _pace;
    private readonly NodeRegistration _registration;
    private readonly Reregistration _reregistration;
    private readonly NodeHealth _health;
    private readonly Action<long> _offerReap;
    private readonly Action<ClusterInbound> _post;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Set when a connection comes back: Redis may have restarted, so the check runs at once, not at the next tick.</summary>
    private readonly AutoResetEvent _tickNow = new(false);

    /// <summary>Liveness thread only: since when each node's key has been seen missing.</summary>
    private readonly Dictionary<long, long> _missingSince = [];
    private volatile int _liveNodes = 1;

    /// <param name="redis">Liveness's own connection: its round trip never queues behind publishing or reaping.</param>
    public Liveness(ConnectionMultiplexer redis, RedisClock clock, LivenessPace pace, NodeRegistration registration, Reregistration reregistration, NodeHealth health, Action<long> offerReap, Action<ClusterInbound> post)
    {
        _redis = redis;
        _db = redis.GetDatabase();
        _clock = clock;
        _time = clock.Time;
        _pace = pace;
        _registration = registration;
        _reregistration = reregistration;
        _health = health;
        _offerReap = offerReap;
        _post = post;
        _thread = new Thread(Loop) { IsBackground = true, Name = "cluster-liveness" };
    }

    public int LiveNodes => _liveNodes;

    private long NodeId => _registration.NodeId;

    public void Start() => _thread.Start();

    /// <summary>Any thread: run the check now rather than at the next interval (a connection came back).</summary>
    public void CheckNow() => _tickNow.Set();

    /// <summary>Ends the thread, waiting a few intervals for it at most.</summary>
    public void Stop()
    {
        _stop.Cancel();
        _thread.Join(_pace.Interval * 4);
    }

    /// <summary>After <see cref="Stop"/> and once the other connection (whose callbacks call <see cref="CheckNow"/>) is closed.</summary>
    public void Dispose()
    {
        _redis.Dispose();
        _stop.Dispose();
        _tickNow.Dispose();
    }

    private void Loop()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            long started = _time.GetTimestamp();
            Tick();
            var wait = _pace.Interval - _time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero && WaitHandle.WaitAny([stop.WaitHandle, _tickNow], wait) == 0)
            {
                return;
            }
        }
    }

    private void Tick()
    {
        try
        {
            long before = _clock.WallClockMs();
            var r = (RedisResult[])_db.ScriptEvaluate(
                LivenessScripts.Tick,
                [ClusterKeys.Registered(NodeId), ClusterKeys.Node(NodeId), ClusterKeys.Nodes],
                [_registration.Incarnation, (long)_pace.Ttl.TotalMilliseconds, NodeId])!;
            if (_clock.WallClockMs() - before <= SlowClockReading.TotalMilliseconds)
            {
                _clock.SetOffset(before, (long)r[1], (long)r[2]);
            }

            OnTick((long)r[0], (string)r[3]!, (int)r[4], (RedisValue[])r[5]!);
        }
        catch (Exception e)
        {
            if (e is not RedisException and not TimeoutException)
            {
                Log.Error(e, "Cluster: the liveness check failed");
            }
            else if (_health.Down is null)
            {
                Log.Warn("Cluster down: {Why}", e.Message);
            }

            _health.MarkDown(e is RedisConnectionException ? "Redis is unreachable" : "Redis is not answering");
            _missingSince.Clear();
        }
    }

    private void OnTick(long status, string replid, int live, RedisValue[] missing)
    {
        if (status < 0)
        {
            FoundReaped();
            return;
        }

        if (status == 0 || replid != _registration.Replid || _reregistration.InProgress)
        {
            // Redis lost this node's registration (restarted empty), or it is another Redis now (a failover,
            // which may have lost the last writes): fail requests until this node has registered again what
            // it holds and moved every counter past what it has seen.
            _missingSince.Clear();
            _reregistration.Start(replid, status == 0 ? "Redis lost this node's registration" : "Redis failed over or restarted");
            return;
        }

        if (_health.Down is not null)
        {
            Log.Info("Cluster up again");
            _health.MarkUp();
        }

        _liveNodes = live;
        long now = _time.GetTimestamp();
        var gone = new HashSet<long>();
        foreach (var value in missing)
        {
            long id = (long)value;
            if (id == NodeId)
            {
                continue;
            }

            gone.Add(id);
            if (!_missingSince.TryGetValue(id, out long since))
            {
                _missingSince[id] = now;
            }
            else if (_time.GetElapsedTime(since, now) >= _pace.ReapGrace)
            {
                _missingSince.Remove(id);
                _offerReap(id);
            }
        }

        foreach (long id in _missingSince.Keys.Where(id => !gone.Contains(id)).ToArray())
        {
            _missingSince.Remove(id);
        }
    }

    /// <summary>
    /// Survivors took this node for dead (it was frozen, or cut off past the node timeout) and fenced it:
    /// its members have left their rooms, so its clients are told and closed before anything else, and the
    /// node then serves again as a new incarnation.
    /// </summary>
    private void FoundReaped()
    {
        _missingSince.Clear();
        if (!_registration.TryMarkReaped())
        {
            return;
        }

        _health.MarkDown("this node was taken for dead");
        Log.Warn("Node {Node} was taken for dead and reaped; closing its clients", NodeId);
        _post(new ClusterInbound.Reaped());
    }
}
