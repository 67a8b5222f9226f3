using ChatLoop.Server.Connections;

namespace ChatLoop.Server.Reactor;

/// <summary>What the handler leaves for the end of the tick: connections with bytes to send and connections to close.</summary>
internal sealed class TickWork
{
    public ConnectionQueue Dirty { get; } = new(ConnectionQueues.Dirty);

    public ConnectionQueue Closing { get; } = new(ConnectionQueues.Closing);

    /// <summary>Connections whose outbound queue crossed the backpressure mark since the reactor last looked (it decides whether they hold their rooms back).</summary>
    public ConnectionQueue Behind { get; } = new(ConnectionQueues.Behind);

    /// <summary>Bytes queued to clients since the tick began (every member's copy counts).</summary>
    public long BytesQueued { get; set; }

    public void BeginTick() => BytesQueued = 0;
}
