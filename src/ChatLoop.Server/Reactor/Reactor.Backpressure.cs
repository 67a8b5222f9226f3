using ChatLoop.Server.Connections;

namespace ChatLoop.Server.Reactor;

/// <summary>
/// Flow control, carried across rooms. A member past the backpressure mark that is draining its queue (its
/// socket has taken bytes within the drain window) is a laggard: every room it is in counts it, and a
/// sender in any room with a laggard is not served, and so not read, until the laggard catches up - TCP's
/// flow control from the slowest reader back to the sender. A member that is not draining holds nobody back;
/// the lag clock (<see cref="Connection.LagSince"/>) cuts off, after <see cref="ServerSettings.MaxLag"/>, any
/// member whose queued bytes wait that long, so a trickle reader holds its rooms back for a bounded time.
/// Laggard state changes only here: when a queue crosses the mark upward (<see cref="TickWork.Behind"/>, looked
/// at after each request), and at each flush (the queue shrank, the drain window ran out, the member closes);
/// <see cref="Connection.AddRoom"/> and <see cref="Connection.RemoveRoom"/> keep the rooms' counts as a laggard joins and leaves.
/// </summary>
internal sealed partial class Reactor
{
    private int _laggards;

    /// <summary>The earliest moment a laggard's drain window runs out or a probe is due, for the poller's timeout.</summary>
    private long _nextFlowTimer = long.MaxValue;

    /// <summary>
    /// The one rule for "read this connection's socket now". A closing connection is read only to see its end;
    /// once the client has closed (end of stream seen) there is nothing more to read.
    /// An open one is read when it has no input waiting to be served (in the run queue or held) and its own queue
    /// is under the backpressure mark. The answer changes only where those change, and each of those places
    /// tells the poller (<see cref="InterestMayChange"/>): a read or the idle timer schedules input
    /// (<see cref="Schedule"/>), a turn uses input up or holds it (<see cref="Turn"/>), <see cref="ResumeHeldInput"/>,
    /// the queue crossing the mark (<see cref="Connection.Enqueue"/> up, <see cref="Send"/> down: both in
    /// <see cref="FlushOutput"/>), and <see cref="Connection.MarkClosing"/> (<see cref="CloseFinished"/>).
    /// </summary>
    private bool WantsRead(Connection c) =>
        !c.PeerClosed
        && (!c.IsOpen || ((c.Queues & (ConnectionQueues.Run | ConnectionQueues.Held)) == 0 && c.Outbound.Length < _settings.BackpressureBytes));

    /// <summary>
    /// The client's next request must wait: its own queue is past the mark, or a room it is in has a laggard, or
    /// (in a cluster) its JOIN or LEAVE is still on its way through the backplane, so what it sends next is read
    /// against the membership that request makes.
    /// </summary>
    private bool MustWait(Connection c) =>
        c.Outbound.Length >= _settings.BackpressureBytes || (_laggards > 0 && InLaggingRoom(c)) || c.ClusterPending > 0;

    private static bool InLaggingRoom(Connection c)
    {
        if (c.Rooms is { } rooms)
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
        c.IsOpen && c.Outbound.Length >= _settings.BackpressureBytes && now - c.LastSendAt < _drainTicks;

    /// <summary>After a request: members it pushed past the mark that are draining hold their rooms back from now on.</summary>
    private void NoteBehind()
    {
        long now = Now;
        while (_work.Behind.TryDequeue(out var c))
        {
            SetLagging(c, IsLaggard(c, now));
        }
    }

    /// <summary>
    /// At each flush, for each connection with bytes queued: its lag clock and laggard state. The lag clock is a
    /// lower bound on how long its oldest queued byte has waited: it starts when bytes are left queued, and restarts
    /// (at the bytes queued by then) only once everything queued when it started has been taken.
    /// </summary>
    private void TrackFlow(Connection c, long now)
    {
        var outbound = c.Outbound;
        if (outbound.IsEmpty)
        {
            c.LagSince = 0;
        }
        else if (c.LagSince == 0 || outbound.Consumed >= c.LagMark)
        {
            c.LagMark = outbound.Consumed + outbound.Length;
            c.LagSince = now;
        }

        SetLagging(c, IsLaggard(c, now));
        if (c.Lagging)
        {
            _nextFlowTimer = Math.Min(_nextFlowTimer, c.LastSendAt + _drainTicks);
        }

        if (c.WriteBlocked && c.IsOpen && outbound.Length >= _settings.BackpressureBytes)
        {
            _nextFlowTimer = Math.Min(_nextFlowTimer, c.NextProbeAt);
        }
    }

    /// <summary>
    /// Linux reports a socket writable only once about a third of its send buffer is free, which at a slow reader's
    /// pace can take seconds. So a member behind whose socket is not reported writable is offered its bytes anyway,
    /// every quarter of the drain window: whatever the kernel takes shows that it is draining.
    /// </summary>
    private bool ProbeDue(Connection c, long now)
    {
        if (c.Outbound.Length < _settings.BackpressureBytes || now < c.NextProbeAt)
        {
            return false;
        }

        c.NextProbeAt = now + _probeTicks;
        return true;
    }

    private void SetLagging(Connection c, bool lagging)
    {
        if (c.Lagging == lagging)
        {
            return;
        }

        c.Lagging = lagging;
        int change = lagging ? 1 : -1;
        _laggards += change;
        _stats.Laggards = _laggards;
        if (c.Rooms is { } rooms)
        {
            foreach (var room in rooms)
            {
                room.Laggards += change;
            }
        }
    }
}
