namespace ChatLoop.Server.Reactor;

/// <summary>What a deadline in <see cref="Deadlines"/> is for; each kind has one owner that acts on it.</summary>
internal enum DeadlineKind : byte
{
    /// <summary>The connection's next request, join or lag timeout, or its idle buffer's release (<see cref="Timeouts"/>).</summary>
    Timeouts,

    /// <summary>The message idle time may have passed for its open CHAT body or unended line (<see cref="InputScheduler"/>).</summary>
    MessageIdle,

    /// <summary>A closing connection's grace time runs out (<see cref="Closer"/>); firing only wakes the loop.</summary>
    CloseGrace,
}
