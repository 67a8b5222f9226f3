using ChatLoop.Server.Connections;

namespace ChatLoop.Server.Rooms;

/// <summary>A named room with a ROOM_REF that never changes and never passes to another name.</summary>
internal sealed class Room
{
    public Room(string name, long roomRef)
    {
        Name = name;
        Ref = roomRef;
    }

    public string Name { get; }

    public long Ref { get; }

    public List<Connection> Members { get; } = [];

    /// <summary>Members behind on their queue and draining it (<see cref="FlowState.Lagging"/>): while any, its senders wait.</summary>
    public int Laggards { get; set; }

    /// <summary>Its place in the table's list of empty rooms, least recently used first; null while it has members.</summary>
    public LinkedListNode<Room>? EmptyNode { get; set; }
}
