namespace ChatLoop.Server;

/// <summary>
/// Requests also wait when this tick has already queued <see cref="ServerSettings.TickBudgetBytes"/> for
/// all clients together: the tick then flushes, so a broadcast storm to a big room goes out in pieces
/// that the clients read while the server works on the next, instead of one giant tick.
/// Backpressure per request, not per read: one Receive can hold thousands of small requests whose replies
/// would pass the outbound cap before the first Send. Once a client's queue reaches the backpressure mark,
/// its remaining requests wait in its reader, and it is not read, until the queue drains.
/// </summary>
internal sealed partial class Reactor
{
    private readonly List<Connection> _held = [];

    /// <summary>
    /// The client's own queue is over the backpressure mark, or this tick has queued its budget, or (in a
    /// cluster) its JOIN or LEAVE is still on its way through the backplane: what it sends next is read
    /// against the membership that request makes.
    /// </summary>
    private bool MustWait(Connection c) =>
        c.Outbound.Length >= _settings.BackpressureBytes || _work.BytesQueued >= _settings.TickBudgetBytes || c.ClusterPending > 0;

    private void Hold(Connection c)
    {
        if (!c.InputHeld)
        {
            c.InputHeld = true;
            _held.Add(c);
        }
    }

    /// <summary>Goes on with the held requests of every client whose queue has drained below the mark.</summary>
    private void ResumeHeldInput()
    {
        for (int i = _held.Count - 1; i >= 0; i--)
        {
            var c = _held[i];
            if (c.IsOpen && MustWait(c))
            {
                continue;
            }

            _held[i] = _held[^1];
            _held.RemoveAt(_held.Count - 1);
            c.InputHeld = false;
            if (c.IsOpen)
            {
                ProcessRequests(c);
            }
        }
    }

    private bool HasResumableInput()
    {
        foreach (var c in _held)
        {
            if (!c.IsOpen || !MustWait(c))
            {
                return true;
            }
        }

        return false;
    }
}
