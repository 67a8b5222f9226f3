namespace ChatLoop.Server.Connections;

/// <summary>
/// Cluster: a member's JOINs and LEAVEs sent to the backplane and not yet answered; its input waits
/// meanwhile. Oldest-first expiry keys on <see cref="Since"/>, so it is set only when the count rises from 0.
/// </summary>
internal sealed class ClusterRequests
{
    public int Count { get; private set; }

    public bool Any => Count > 0;

    /// <summary>When <see cref="Count"/> last rose from 0 (Stopwatch ticks).</summary>
    public long Since { get; private set; }

    /// <summary>A request sent. True when it is the only one now pending (its clock starts at <paramref name="now"/>).</summary>
    public bool Begin(long now)
    {
        if (Count++ != 0)
        {
            return false;
        }

        Since = now;
        return true;
    }

    /// <summary>One request answered (applied, refused, failed or found done); none left pending is a no-op.</summary>
    public void End()
    {
        if (Count > 0)
        {
            Count--;
        }
    }

    /// <summary>No answer came in time: the connection is closed and waits for none of them.</summary>
    public void Abandon() => Count = 0;
}
