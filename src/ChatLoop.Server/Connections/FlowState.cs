namespace ChatLoop.Server.Connections;

/// <summary>
/// What flow control keeps for one connection (<see cref="Reactor.FlowControl"/> alone changes it; the
/// timeouts read the lag clock): whether it is a laggard, its lag clock, and when it is next probed.
/// </summary>
internal sealed class FlowState
{
    // How far (in bytes ever consumed from its queue) it must read before its lag clock restarts.
    private long _lagMark;

    /// <summary>
    /// It is behind on its queue (past the backpressure mark) and draining it (its socket took bytes lately):
    /// every room it is in counts it in <see cref="Rooms.Room.Laggards"/>, and their senders wait for it.
    /// </summary>
    public bool Lagging { get; private set; }

    /// <summary>When the bytes up to the lag mark had all been queued, or 0 while nothing waits in its queue.</summary>
    public long LagSince { get; private set; }

    /// <summary>When a member behind whose socket is not reported writable is next offered its bytes anyway.</summary>
    public long NextProbeAt { get; private set; }

    /// <summary>
    /// The lag clock, at a flush: a lower bound on how long its oldest queued byte has waited. It starts when
    /// bytes are left queued, and restarts (at the bytes queued by then) only once everything queued when it
    /// started has been taken; it stops when the queue empties. True when it (re)started.
    /// </summary>
    public bool TrackLag(OutboundBuffer outbound, long now)
    {
        if (outbound.IsEmpty)
        {
            LagSince = 0;
            return false;
        }

        if (LagSince == 0 || outbound.Consumed >= _lagMark)
        {
            _lagMark = outbound.Consumed + outbound.Length;
            LagSince = now;
            return true;
        }

        return false;
    }

    /// <summary>True when that changed whether it is a laggard (the counts that include it must follow).</summary>
    public bool SetLagging(bool lagging)
    {
        if (Lagging == lagging)
        {
            return false;
        }

        Lagging = lagging;
        return true;
    }

    /// <summary>A probe is due by <paramref name="now"/>: the next one is set <paramref name="interval"/> later.</summary>
    public bool TryProbe(long now, long interval)
    {
        if (now < NextProbeAt)
        {
            return false;
        }

        NextProbeAt = now + interval;
        return true;
    }
}
