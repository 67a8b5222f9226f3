using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;

namespace ChatLoop.Server.Sequencing;

/// <summary>
/// A valid request turned into what it does to one room. <see cref="Origin"/> is the local connection
/// that asked, or null when the member is on another node (then <see cref="Name"/> says who it is).
/// A ref struct over the request's own bytes, so a local CHAT is sequenced and applied without copying.
/// A JOIN as the handler submits it (<see cref="Join"/>) may name a room not known here yet, and the
/// name the connection asks for: the sequencer settles both, and binds the name at the first JOIN.
/// </summary>
internal readonly ref struct RoomEvent
{
    private readonly string? _roomName;

    public RoomEvent(RoomEventKind kind, Room room, Connection? origin, ReadOnlySpan<byte> name, ReadOnlySpan<byte> message)
    {
        Kind = kind;
        Room = room;
        Origin = origin;
        Name = name;
        Message = message;
    }

    private RoomEvent(Connection origin, Room? room, string roomName, string clientName)
    {
        Kind = RoomEventKind.Join;
        Room = room;
        Origin = origin;
        Name = origin.Member.NameUtf8;
        _roomName = roomName;
        ClientName = clientName;
    }

    public RoomEventKind Kind { get; }

    /// <summary>The room; null only in a JOIN of a room this node does not know yet (<see cref="RoomName"/> names it).</summary>
    public Room? Room { get; }

    /// <summary>The room's name.</summary>
    public string RoomName => Room?.Name ?? _roomName!;

    public Connection? Origin { get; }

    /// <summary>The member's client name, UTF-8 (empty in a connection's first JOIN: it has none yet).</summary>
    public ReadOnlySpan<byte> Name { get; }

    /// <summary>In a JOIN as submitted, the name the connection joins as; null otherwise.</summary>
    public string? ClientName { get; }

    /// <summary>The CHAT body; empty for the other kinds.</summary>
    public ReadOnlySpan<byte> Message { get; }

    /// <summary>A JOIN local state allows, as the handler submits it: <paramref name="room"/> is the room if known here.</summary>
    public static RoomEvent Join(Connection c, Room? room, string roomName, string clientName) => new(c, room, roomName, clientName);
}
