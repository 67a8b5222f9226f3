using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;

namespace ChatLoop.Server.Sequencing;

/// <summary>One node, no backplane: names, JOIN_IDs and refs from local counters, every event applied at once.</summary>
internal sealed class LocalSequencer : ISequencer
{
    private readonly RoomTable _rooms;
    private readonly NameTable _names;
    private readonly EventApplier _applier;
    private long _nextJoinId = 1;

    public LocalSequencer(RoomTable rooms, NameTable names, EventApplier applier)
    {
        _rooms = rooms;
        _names = names;
        _applier = applier;
    }

    public bool AppliesAtOnce => true;

    public string? Unavailable => null;

    public string? State => null;

    public void Join(Connection c, string roomName, string clientName, Room? room)
    {
        // The handler has checked that a new room fits, so GetOrAdd finds or makes one.
        room ??= _rooms.GetOrAdd(roomName)!;
        if (c.Member.Name is null)
        {
            c.Member.Bind(clientName, _nextJoinId++);
            _names.Claim(clientName, c);
        }

        _applier.Apply(new RoomEvent(RoomEventKind.Join, room, c, c.Member.NameUtf8, default));
    }

    public void Submit(in RoomEvent e) => _applier.Apply(e);

    public void Retiring(Connection c)
    {
    }
}
