namespace ChatLoop.Server.Connections;

/// <summary>The queues a connection can be in; each <see cref="ConnectionQueue"/> owns one bit of <see cref="Connection.Queues"/>.</summary>
[Flags]
internal enum ConnectionQueues : byte
{
    None = 0,

    /// <summary>Has bytes queued to send.</summary>
    Dirty = 1,

    /// <summary>Marked for closing, not yet closed.</summary>
    Closing = 2,

    /// <summary>Has input to serve, waiting for its turn.</summary>
    Run = 8,

    /// <summary>Has input that must wait: its own queue, or a reader in one of its rooms, is behind.</summary>
    Held = 16,

    /// <summary>Its outbound queue crossed the backpressure mark and the reactor has not yet looked at it.</summary>
    Behind = 32,

    /// <summary>What the reactor wants to hear about it (read, write) may have changed: the poller is told before the next wait.</summary>
    Rewatch = 64,
}
