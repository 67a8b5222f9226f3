using System.Text;
using ChatLoop.Server.Rooms;

namespace ChatLoop.Server.Connections;

/// <summary>
/// What a connection is as a chat member, apart from its transport: the name and JOIN_ID bound at its
/// first JOIN, the rooms it is in, its cluster requests under way, and how far its leaving has got.
/// </summary>
internal sealed class Member
{
    /// <summary>The name bound at the first JOIN (PROTOCOL.md §2.1), or null.</summary>
    public string? Name { get; private set; }

    public byte[] NameUtf8 { get; private set; } = [];

    /// <summary>0 until the first JOIN.</summary>
    public long JoinId { get; private set; }

    /// <summary>The rooms it is in, in ascending ROOM_REF order; null until it joins one.</summary>
    public List<Room>? Rooms { get; private set; }

    /// <summary>Cluster: its JOINs and LEAVEs sent to the backplane and not yet back.</summary>
    public ClusterRequests ClusterRequests { get; } = new();

    /// <summary>It has begun leaving its rooms (in a cluster that takes a round trip).</summary>
    public bool RetireStarted { get; private set; }

    /// <summary>It has left every room and its name is free: nothing more is queued for it.</summary>
    public bool Retired { get; private set; }

    public void Bind(string name, long joinId)
    {
        Name = name;
        NameUtf8 = Encoding.UTF8.GetBytes(name);
        JoinId = joinId;
    }

    public bool IsIn(Room room) => Rooms is not null && Rooms.Contains(room);

    /// <summary>Keeps <see cref="Rooms"/> in ascending ref order.</summary>
    public void AddRoom(Room room)
    {
        Rooms ??= [];
        int at = Rooms.Count;
        while (at > 0 && Rooms[at - 1].Ref > room.Ref)
        {
            at--;
        }

        Rooms.Insert(at, room);
    }

    /// <summary>False when it was not in the room.</summary>
    public bool RemoveRoom(Room room) => Rooms is not null && Rooms.Remove(room);

    /// <summary>Begins its leaving of every room; false when that has begun already.</summary>
    public bool StartRetiring()
    {
        if (RetireStarted)
        {
            return false;
        }

        RetireStarted = true;
        return true;
    }

    /// <summary>It has left every room and its name is free: nothing more is queued for it.</summary>
    public void MarkRetired() => Retired = true;
}
