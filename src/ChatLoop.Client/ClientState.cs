namespace ChatLoop.Client;

/// <summary>
/// What the client knows from the server's replies: its JOIN_ID, the rooms it is in with their
/// ROOM_REFs, every ref's name (kept after leaving, since the leave notice follows LEFT_CHATROOM),
/// and the current room, where typed text goes. Not thread-safe: the session locks around it.
/// </summary>
public sealed class ClientState
{
    private readonly List<JoinedRoom> _joined = [];
    private readonly Dictionary<long, string> _namesByRef = [];

    public long? JoinId { get; private set; }

    /// <summary>Where chat goes; null when in no room.</summary>
    public JoinedRoom? Current { get; private set; }

    /// <summary>The rooms joined, oldest first.</summary>
    public IReadOnlyList<JoinedRoom> Joined => _joined;

    /// <summary>A JOINED_CHATROOM reply: the room is joined and becomes the current room.</summary>
    public void OnJoined(string name, long roomRef, long joinId)
    {
        JoinId = joinId;
        _namesByRef[roomRef] = name;
        var room = Find(name);
        if (room is null || room.Ref != roomRef)
        {
            if (room is not null)
            {
                _joined.Remove(room);
            }

            room = new JoinedRoom(name, roomRef);
            _joined.Add(room);
        }

        Current = room;
    }

    /// <summary>A LEFT_CHATROOM reply. If it was the current room, the most recently joined other room becomes current.</summary>
    public void OnLeft(long roomRef)
    {
        int i = _joined.FindIndex(r => r.Ref == roomRef);
        if (i < 0)
        {
            return;
        }

        var left = _joined[i];
        _joined.RemoveAt(i);
        if (Current == left)
        {
            Current = _joined.Count > 0 ? _joined[^1] : null;
        }
    }

    /// <summary>Makes a joined room current; false when it is not joined.</summary>
    public bool TrySwitch(string name)
    {
        var room = Find(name);
        if (room is null)
        {
            return false;
        }

        Current = room;
        return true;
    }

    /// <summary>A joined room by name (room names match exactly, as on the server).</summary>
    public JoinedRoom? Find(string name)
    {
        foreach (var room in _joined)
        {
            if (string.Equals(room.Name, name, StringComparison.Ordinal))
            {
                return room;
            }
        }

        return null;
    }

    /// <summary>The name for a ref seen in any JOINED_CHATROOM reply, or null.</summary>
    public string? NameOf(long roomRef) => _namesByRef.TryGetValue(roomRef, out var name) ? name : null;
}
