namespace ChatLoop.Server;

/// <summary>
/// Backpressure per request, not per read: one Receive can hold thousands of small requests whose replies
/// would pass the outbound cap before the first Send. Once a client's queue reaches the backpressure mark,
/// its remaining requests wait in its reader, and it is not read, until the queue drains.
/// </summary>
internal sealed partial class Reactor
{
    private readonly List<Connection> _held = [];

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
            if (c.IsOpen && c.Outbound.Length >= _settings.BackpressureBytes)
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
            if (!c.IsOpen || c.Outbound.Length < _settings.BackpressureBytes)
            {
                return true;
            }
        }

        return false;
    }
}
