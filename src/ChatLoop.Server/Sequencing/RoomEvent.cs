using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;

namespace ChatLoop.Server.Sequencing;

/// <summary>
/// A valid request turned into what it does to one room. <see cref="Origin"/> is the local connection
/// that asked, or null when the member is on another node (then <see cref="Name"/> says who it is).
/// A ref struct over the request's own bytes, so a local CHAT is sequenced and applied without copying.
/// </summary>
internal readonly ref struct RoomEvent
{
    public RoomEvent(RoomEventKind kind, Room room, Connection? origin, ReadOnlySpan<byte> name, ReadOnlySpan<byte> message)
    {
        Kind = kind;
        Room = room;
        Origin = origin;
        Name = name;
        Message = message;
    }

    public RoomEventKind Kind { get; }

    public Room Room { get; }

    public Connection? Origin { get; }

    /// <summary>The member's client name, UTF-8.</summary>
    public ReadOnlySpan<byte> Name { get; }

    /// <summary>The CHAT body; empty for the other kinds.</summary>
    public ReadOnlySpan<byte> Message { get; }
}
