namespace ChatLoop.Server;

/// <summary>What the handler leaves for the end of the tick: connections with bytes to send and connections to close.</summary>
internal sealed class TickWork
{
    public List<Connection> Dirty { get; } = [];

    public List<Connection> Closing { get; } = [];

    /// <summary>Bytes queued to clients since the tick began (every member's copy counts).</summary>
    public long BytesQueued { get; set; }

    public void BeginTick() => BytesQueued = 0;
}
