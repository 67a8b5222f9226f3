using ChatLoop.Server.Polling;

namespace ChatLoop.Server;

/// <summary>
/// The reactor's side of the poller seam: what it wants to hear about each connection, decided in one
/// predicate for reading (<see cref="WantsRead"/>) and one for writing (<see cref="Connection.WriteBlocked"/>),
/// and told to the poller (<see cref="Watch"/>) wherever either can change: on accept, when input is held
/// or resumed, after each flushed connection (its queue and write-blocked state), for each closing
/// connection, and removed before the socket is closed.
/// </summary>
internal sealed partial class Reactor
{
    /// <summary>
    /// Read an open client unless its own queue is over the backpressure mark or its requests are held back;
    /// read a closing one until the client closes too (its end of stream or error is what finishes it).
    /// </summary>
    private bool WantsRead(Connection c) =>
        !c.PeerClosed && (!c.IsOpen || (!c.InputHeld && c.Outbound.Length < _settings.BackpressureBytes));

    private Interest InterestOf(Connection c) =>
        (WantsRead(c) ? Interest.Read : Interest.None) | (c.WriteBlocked ? Interest.Write : Interest.None);

    /// <summary>Tells the poller what the reactor now wants of <paramref name="c"/>; free when nothing changed.</summary>
    private void Watch(Connection c)
    {
        if (c.PollToken >= 0)
        {
            _poller.Change(c, InterestOf(c));
        }
    }

    private void WaitForEvents()
    {
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
    /// in ms too) nor over 1 s; zero when held requests can go on now.
    /// </summary>
    private int PollTimeoutMs(long now)
    {
        if (HasResumableInput())
        {
            return 0;
        }

        long next = _nextSweep;
        foreach (var c in _idleWatch)
        {
            next = Math.Min(next, c.LastReceiveAt + _idleTicks);
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
