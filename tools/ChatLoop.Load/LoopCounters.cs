namespace ChatLoop.Load;

/// <summary>
/// One event loop's running totals. The loop alone writes them (plain adds on the hot path); the
/// progress reporter reads them with <see cref="Volatile"/>: a figure a moment old is fine there.
/// </summary>
internal sealed class LoopCounters
{
    public long Joined;
    public long SlowJoined;

    /// <summary>Clients whose connect and join ended, either way (joined or closed).</summary>
    public long ConnectsResolved;
    public long Sent;

    /// <summary>Messages received by members other than their sender (fanbench's count).</summary>
    public long Deliveries;
    public long SelfEchoes;
    public long BytesIn;
    public long BytesOut;
    public long Errors;
    public long Unexpected;
    public long ClosedEarly;

    /// <summary>Join notices out of the order PROTOCOL.md gives (not the first block after JOINED_CHATROOM, or before it).</summary>
    public long JoinOrder;

    public long Failures => Volatile.Read(ref Errors) + Volatile.Read(ref Unexpected)
        + Volatile.Read(ref ClosedEarly) + Volatile.Read(ref JoinOrder);
}
