namespace ChatLoop.Server.Cluster;

/// <summary>The liveness timings, all from --node-timeout-s (CLUSTER.md "At scale" 3).</summary>
internal sealed class LivenessPace
{
    public LivenessPace(TimeSpan nodeTimeout)
    {
        NodeTimeout = nodeTimeout;
        Interval = TimeSpan.FromMilliseconds(Math.Min(1000, nodeTimeout.TotalMilliseconds / 6));
        Ttl = Interval * 3;
        ReapGrace = nodeTimeout - Ttl - Interval;
    }

    /// <summary>--node-timeout-s: a node unheard of this long is dead.</summary>
    public TimeSpan NodeTimeout { get; }

    /// <summary>How often a node refreshes its key: every second, faster for short node timeouts.</summary>
    public TimeSpan Interval { get; }

    /// <summary>How long a node's key lives unrefreshed.</summary>
    public TimeSpan Ttl { get; }

    /// <summary>A key missing this long after Redis answers again means the node is dead.</summary>
    public TimeSpan ReapGrace { get; }
}
