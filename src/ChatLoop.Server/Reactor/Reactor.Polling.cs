using ChatLoop.Server.Connections;
using ChatLoop.Server.Polling;

namespace ChatLoop.Server.Reactor;

/// <summary>
/// The reactor's side of the poller seam. What it wants to hear about a connection is decided in one
/// predicate for reading (<see cref="WantsRead"/>) and one for writing (<see cref="Connection.WriteBlocked"/>).
/// Wherever either can change, the connection is noted (<see cref="InterestMayChange"/>); before each wait
/// the poller is told the final answer for each noted connection, so a connection scheduled and served in
/// the same tick costs the poller nothing, and epoll makes at most one epoll_ctl for it per tick.
/// </summary>
internal sealed partial class Reactor
{
    private readonly ConnectionQueue _rewatch = new(ConnectionQueues.Rewatch);

    private Interest InterestOf(Connection c) =>
        (WantsRead(c) ? Interest.Read : Interest.None) | (c.WriteBlocked ? Interest.Write : Interest.None);

    /// <summary>Something <see cref="WantsRead"/> or <see cref="Connection.WriteBlocked"/> reads may have changed.</summary>
    private void InterestMayChange(Connection c) => _rewatch.Enqueue(c);

    private void WaitForEvents()
    {
        while (_rewatch.TryDequeue(out var c))
        {
            if (c.PollToken >= 0)
            {
                _poller.Change(c, InterestOf(c));
            }
        }

        long start = Now;
        _poller.Wait(PollTimeoutMs(start));
        _stats.Selects++;
        _stats.SelectTicks += Now - start;
        foreach (var c in _poller.Ready.Writable)
        {
            c.WriteBlocked = false;
        }
    }

    /// <summary>
    /// Until the nearest timer, in whole milliseconds, never under 1 ms (Select would spin; epoll_wait counts
    /// in ms too) nor over 1 s; zero when input waits in the run queue.
    /// </summary>
    private int PollTimeoutMs(long now)
    {
        if (_runQueue.Count > 0)
        {
            return 0;
        }

        long next = Math.Min(_nextSweep, _nextFlowTimer);
        foreach (var c in _idleWatch)
        {
            next = Math.Min(next, c.MessageIdleSince + _idleTicks);
        }

        foreach (var c in _work.Closing)
        {
            next = Math.Min(next, c.DrainDeadline);
        }

        if (_acceptPausedUntil > now)
        {
            next = Math.Min(next, _acceptPausedUntil);
        }

        long ms = (long)Math.Ceiling((next - now) * 1000.0 / _time.TimestampFrequency);
        return (int)Math.Clamp(ms, 1, 1000);
    }
}
