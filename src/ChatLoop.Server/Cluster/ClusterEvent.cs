namespace ChatLoop.Server;

/// <summary>A room event read back from the backplane (see <see cref="EventCodec"/>).</summary>
internal readonly ref struct ClusterEvent
{
    public ClusterEvent(long seq, RoomEventKind kind, bool reaped, long node, long joinId, long roomRef, ReadOnlySpan<byte> name, ReadOnlySpan<byte> roomName, ReadOnlySpan<byte> message)
    {
        Seq = seq;
        Kind = kind;
        Reaped = reaped;
        Node = node;
        JoinId = joinId;
        RoomRef = roomRef;
        Name = name;
        RoomName = roomName;
        Message = message;
    }

    /// <summary>The room's sequence number, stamped by Redis: consecutive, so a gap shows.</summary>
    public long Seq { get; }

    public RoomEventKind Kind { get; }

    /// <summary>A leaving published by a survivor for a member of a node it found dead.</summary>
    public bool Reaped { get; }

    /// <summary>The node the member is on.</summary>
    public long Node { get; }

    public long JoinId { get; }

    public long RoomRef { get; }

    public ReadOnlySpan<byte> Name { get; }

    /// <summary>The room's name; joins only.</summary>
    public ReadOnlySpan<byte> RoomName { get; }

    public ReadOnlySpan<byte> Message { get; }
}
