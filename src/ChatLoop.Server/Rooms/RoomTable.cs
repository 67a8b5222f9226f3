using ChatLoop.Server.Connections;

namespace ChatLoop.Server.Rooms;

/// <summary>
/// Rooms by name and by ref (PROTOCOL.md §2.1). Refs come from a counter from 0 and are never
/// reused. Rooms are kept when they empty; when the table is full the least recently used empty
/// room is forgotten to make space.
/// </summary>
internal sealed class RoomTable
{
    private readonly Dictionary<string, Room> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Room> _byRef = [];
    private readonly LinkedList<Room> _empty = new();
    private readonly int _capacity;
    private long _nextRef;

    public RoomTable(int capacity) => _capacity = capacity;

    public int Count => _byName.Count;

    /// <summary>Every room, for consistency checks.</summary>
    public IEnumerable<Room> All => _byName.Values;

    /// <summary>A new room fits: the table has space, or an empty room to forget.</summary>
    public bool CanAdd => _byName.Count < _capacity || _empty.First is not null;

    public Room? Find(long roomRef) => _byRef.GetValueOrDefault(roomRef);

    public Room? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The room of that name, made if new; null when the table is full of rooms with members.</summary>
    public Room? GetOrAdd(string name) => GetOrAdd(name, -1);

    /// <summary>As <see cref="GetOrAdd(string)"/>, with the ref the cluster gave the name (or -1: the next local one).</summary>
    public Room? GetOrAdd(string name, long clusterRef)
    {
        if (_byName.TryGetValue(name, out var room))
        {
            return room;
        }

        if ((clusterRef >= 0 && _byRef.ContainsKey(clusterRef)) || (_byName.Count >= _capacity && !EvictOneEmpty()))
        {
            // Full, or (in a cluster) the ref is another name's here: never two rooms with one ref.
            return null;
        }

        room = new Room(name, clusterRef >= 0 ? clusterRef : _nextRef++);
        _byName.Add(name, room);
        _byRef.Add(room.Ref, room);
        room.EmptyNode = _empty.AddLast(room);
        return room;
    }

    public void AddMember(Room room, Connection member)
    {
        if (room.EmptyNode is not null)
        {
            _empty.Remove(room.EmptyNode);
            room.EmptyNode = null;
        }

        room.Members.Add(member);
    }

    public void RemoveMember(Room room, Connection member)
    {
        room.Members.Remove(member);
        if (room.Members.Count == 0 && room.EmptyNode is null)
        {
            room.EmptyNode = _empty.AddLast(room);
        }
    }

    private bool EvictOneEmpty()
    {
        var oldest = _empty.First;
        if (oldest is null)
        {
            return false;
        }

        _empty.RemoveFirst();
        var room = oldest.Value;
        room.EmptyNode = null;
        _byName.Remove(room.Name);
        _byRef.Remove(room.Ref);
        return true;
    }
}
