using ChatLoop.Server.Sequencing;

namespace ChatLoop.Server.Cluster;

/// <summary>A room event read back from the backplane (see <see cref="EventCodec"/>).</summary>
internal readonly ref struct ClusterEvent
{
    public ClusterEvent(long seq, RoomEventKind kind, bool reaped, int count, long node, long joinId, long roomRef, ReadOnlySpan<byte> name, ReadOnlySpan<byte> roomName, ReadOnlySpan<byte> message)
    {
        Seq = seq;
        Kind = kind;
        Reaped = reaped;
        Count = count;
        Node = node;
        JoinId = joinId;
        RoomRef = roomRef;
        Name = name;
        RoomName = roomName;
        Message = message;
    }

    /// <summary>The room's sequence number, stamped by Redis (the first of a run's): consecutive, so a gap shows.</summary>
    public long Seq { get; }

    public RoomEventKind Kind { get; }

    /// <summary>A leaving published by a survivor for a member of a node it found dead.</summary>
    public bool Reaped { get; }

    /// <summary>How many events: a run of one member's chats takes that many consecutive numbers; 1 otherwise.</summary>
    public int Count { get; }

    /// <summary>The node the member is on.</summary>
    public long Node { get; }

    public long JoinId { get; }

    public long RoomRef { get; }

    public ReadOnlySpan<byte> Name { get; }

    /// <summary>The room's name; joins only.</summary>
    public ReadOnlySpan<byte> RoomName { get; }

    /// <summary>A chat run's bodies, each length-prefixed (read them with <see cref="EventCodec.NextMessage"/>); empty otherwise.</summary>
    public ReadOnlySpan<byte> Message { get; }
}
