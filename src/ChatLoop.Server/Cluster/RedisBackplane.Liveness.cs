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
internal sealed partial class RedisBackplane
{
    /// <summary>A TIME answered slower than this says little about the offset (it is off by up to half the round trip): the last one stays.</summary>
    private static readonly TimeSpan SlowClockReading = TimeSpan.FromMilliseconds(100);

    private readonly Thread _liveness;
    private readonly CancellationTokenSource _stopLiveness = new();

    /// <summary>Set when a connection comes back: Redis may have restarted, so the check runs at once, not at the next tick.</summary>
    private readonly AutoResetEvent _tickNow = new(false);
    private readonly Dictionary<long, long> _missingSince = [];
    private volatile int _liveNodes = 1;
    private volatile bool _wasReaped;

    public int LiveNodes => _liveNodes;

    /// <summary>How often a node refreshes its key: every second, faster for short node timeouts.</summary>
    private TimeSpan LivenessInterval => TimeSpan.FromMilliseconds(Math.Min(1000, _settings.NodeTimeout.TotalMilliseconds / 6));

    private TimeSpan LivenessTtl => LivenessInterval * 3;

    /// <summary>A key missing this long after Redis answers again means the node is dead.</summary>
    private TimeSpan ReapGrace => _settings.NodeTimeout - LivenessTtl - LivenessInterval;

    private void LivenessLoop()
    {
        var stop = _stopLiveness.Token;
        while (!stop.IsCancellationRequested)
        {
            long started = _time.GetTimestamp();
            LivenessTick();
            var wait = LivenessInterval - _time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero && WaitHandle.WaitAny([stop.WaitHandle, _tickNow], wait) == 0)
            {
                return;
            }
        }
    }

    private void LivenessTick()
    {
        try
        {
            long before = WallClockMs();
            var r = (RedisResult[])_livenessDb.ScriptEvaluate(
                LivenessScripts.Tick,
                [ClusterKeys.Registered(NodeId), ClusterKeys.Node(NodeId), ClusterKeys.Nodes],
                [_incarnation, (long)LivenessTtl.TotalMilliseconds, NodeId])!;
            if (WallClockMs() - before <= SlowClockReading.TotalMilliseconds)
            {
                SetClockOffset(before, (long)r[1], (long)r[2]);
            }

            OnTick((long)r[0], (string)r[3]!, (int)r[4], (RedisValue[])r[5]!);
        }
        catch (Exception e)
        {
            if (e is not RedisException and not TimeoutException)
            {
                Log.Error(e, "Cluster: the liveness check failed");
            }
            else if (_down is null)
            {
                Log.Warn("Cluster down: {Why}", e.Message);
            }

            _down = e is RedisConnectionException ? "Redis is unreachable" : "Redis is not answering";
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

        if (status == 0 || replid != _replid || _reregistering)
        {
            // Redis lost this node's registration (restarted empty), or it is another Redis now (a failover,
            // which may have lost the last writes): fail requests until this node has registered again what
            // it holds and moved every counter past what it has seen.
            StartRegisteringAgain(replid, status == 0 ? "Redis lost this node's registration" : "Redis failed over or restarted");
            return;
        }

        if (_down is not null)
        {
            Log.Info("Cluster up again");
            _down = null;
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
            else if (_time.GetElapsedTime(since, now) >= ReapGrace)
            {
                _missingSince.Remove(id);
                OfferReap(id);
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
        if (_wasReaped)
        {
            return;
        }

        _wasReaped = true;
        _down = "this node was taken for dead";
        Log.Warn("Node {Node} was taken for dead and reaped; closing its clients", NodeId);
        _post(ClusterInbound.Reaped());
    }

    /// <summary>Redis's clock minus this node's, taking the middle of the round trip as the moment Redis read it.</summary>
    private void SetClockOffset(long before, long seconds, long micros)
    {
        long after = WallClockMs();
        long redisMs = (seconds * 1000) + (micros / 1000);
        Interlocked.Exchange(ref _clockOffsetMs, redisMs - ((before + after) / 2));
    }
}
