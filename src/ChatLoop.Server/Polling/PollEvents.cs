using ChatLoop.Server.Connections;

namespace ChatLoop.Server.Polling;

/// <summary>What one wait found ready; filled by the poller, read by the rest of the tick. Reused every tick.</summary>
internal sealed class PollEvents
{
    /// <summary>The listener has connections to accept.</summary>
    public bool Listener { get; set; }

    /// <summary>Another thread signalled the wake-up socket.</summary>
    public bool Wakeup { get; set; }

    /// <summary>Connections to read: data, end of stream or an error waits.</summary>
    public List<Connection> Readable { get; } = [];

    /// <summary>Write-blocked connections whose socket takes bytes again.</summary>
    public List<Connection> Writable { get; } = [];

    public void Clear()
    {
        Listener = false;
        Wakeup = false;
        Readable.Clear();
        Writable.Clear();
    }
}
