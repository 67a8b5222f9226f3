using ChatLoop.Server.Connections;
using ChatLoop.Server.Metrics;
using ChatLoop.Server.Rooms;

namespace ChatLoop.Server.Reactor;

/// <summary>
/// Flow control, carried across rooms. A member past the backpressure mark that is draining its queue (its
/// socket has taken bytes within the drain window) is a laggard: every room it is in counts it, and a
/// sender in any room with a laggard is not served, and so not read, until the laggard catches up - TCP's
/// flow control from the slowest reader back to the sender. A member that is not draining holds nobody back;
/// the lag clock (<see cref="FlowState.LagSince"/>, run out in <see cref="Timeouts"/>) cuts off, after
/// <see cref="ServerSettings.MaxLag"/>, any member whose queued bytes wait that long, so a trickle reader holds
/// its rooms back for a bounded time. Laggard state changes only here: when a queue crosses the mark upward
/// (<see cref="TickWork.Behind"/>, looked at after each request), and at each flush (the queue shrank, the drain
/// window ran out, the member closes); <see cref="Connection.AddRoom"/> and <see cref="Connection.RemoveRoom"/>
/// keep the rooms' counts as a laggard joins and leaves.
/// </summary>
internal sealed class FlowControl
{
    private readonly ReactorClock _clock;
    private readonly TickWork _work;
    private readonly ServerStats _stats;
    private readonly Timeouts _timeouts;
    private readonly int _backpressureBytes;
    private readonly long _drainTicks;
    private readonly long _probeTicks;
    private int _laggards;

    public FlowControl(ServerSettings settings, ReactorClock clock, TickWork work, ServerStats stats, Timeouts timeouts)
    {
        _clock = clock;
        _work = work;
        _stats = stats;
        _timeouts = timeouts;
        _backpressureBytes = settings.BackpressureBytes;
        _drainTicks = clock.Ticks(settings.DrainWindow);
        _probeTicks = Math.Max(1, _drainTicks / 4);
    }

    /// <summary>The earliest moment a laggard's drain window runs out or a probe is due, as of the last flush, for the poller's timeout.</summary>
    public long NextTimer { get; private set; } = long.MaxValue;

    /// <summary>
    /// The client's next request must wait: its own queue is past the mark, or a room it is in has a laggard, or
    /// (in a cluster) its JOIN or LEAVE is still on its way through the backplane, so what it sends next is read
    /// against the membership that request makes.
    /// </summary>
    public bool MustWait(Connection c) =>
        c.Outbound.Length >= _backpressureBytes || (_laggards > 0 && InLaggingRoom(c)) || c.Member.ClusterRequests.Any;

    /// <summary>After a request: members it pushed past the mark that are draining hold their rooms back from now on.</summary>
    public void NoteBehind()
    {
        long now = _clock.Now;
        while (_work.Behind.TryDequeue(out var c))
        {
            SetLagging(c, IsLaggard(c, now));
        }
    }

    /// <summary>A flush begins: the timer is found again from the connections it looks at.</summary>
    public void BeginFlush() => NextTimer = long.MaxValue;

    /// <summary>A flush ended: every connection that crossed the mark has just been looked at.</summary>
    public void EndFlush() => _work.Behind.Clear();

    /// <summary>
    /// At each flush, for each connection with bytes queued: its lag clock (<see cref="FlowState.TrackLag"/>) and
    /// laggard state, and the timer it may set.
    /// </summary>
    public void Track(Connection c, long now)
    {
        if (c.Flow.TrackLag(c.Outbound, now))
        {
            _timeouts.ClockStarted(c);
        }

        SetLagging(c, IsLaggard(c, now));
        if (c.Flow.Lagging)
        {
            NextTimer = Math.Min(NextTimer, c.LastSendAt + _drainTicks);
        }

        if (c.WriteBlocked && c.IsOpen && c.Outbound.Length >= _backpressureBytes)
        {
            NextTimer = Math.Min(NextTimer, c.Flow.NextProbeAt);
        }
    }

    /// <summary>
    /// Linux reports a socket writable only once about a third of its send buffer is free, which at a slow reader's
    /// pace can take seconds. So a member behind whose socket is not reported writable is offered its bytes anyway,
    /// every quarter of the drain window: whatever the kernel takes shows that it is draining.
    /// </summary>
    public bool ProbeDue(Connection c, long now)
    {
        return c.Outbound.Length >= _backpressureBytes && c.Flow.TryProbe(now, _probeTicks);
    }

    public void SetLagging(Connection c, bool lagging)
    {
        if (!c.Flow.SetLagging(lagging))
        {
            return;
        }

        int change = lagging ? 1 : -1;
        _laggards += change;
        _stats.Laggards = _laggards;
        if (c.Member.Rooms is { } rooms)
        {
            foreach (var room in rooms)
            {
                room.Laggards += change;
            }
        }
    }

    private static bool InLaggingRoom(Connection c)
    {
        if (c.Member.Rooms is { } rooms)
        {
            foreach (var room in rooms)
            {
                if (room.Laggards > 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Behind (past the mark) and draining (its socket took bytes within the drain window).</summary>
    private bool IsLaggard(Connection c, long now) =>
        c.IsOpen && c.Outbound.Length >= _backpressureBytes && now - c.LastSendAt < _drainTicks;
}
