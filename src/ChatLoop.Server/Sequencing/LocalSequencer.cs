using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;

namespace ChatLoop.Server.Sequencing;

/// <summary>One node, no backplane: JOIN_IDs and refs from local counters, every event applied at once.</summary>
internal sealed class LocalSequencer : ISequencer
{
    private readonly RoomTable _rooms;
    private readonly NameTable _names;
    private readonly EventApplier _applier;
    private readonly JoinIdBlock _joinIds = JoinIdBlock.Endless();

    public LocalSequencer(RoomTable rooms, NameTable names, EventApplier applier)
    {
        _rooms = rooms;
        _names = names;
        _applier = applier;
    }

    public bool AppliesAtOnce => true;

    public string? Unavailable => null;

    public string? State => null;

    public void Submit(in RoomEvent e)
    {
        if (e.Kind == RoomEventKind.Join)
        {
            Join(e);
            return;
        }

        _applier.Apply(e);
    }

    public void Retiring(Connection c)
    {
    }

    private void Join(in RoomEvent e)
    {
        var c = e.Origin!;

        // The handler has checked that a new room fits, so GetOrAdd finds or makes one.
        var room = e.Room ?? _rooms.GetOrAdd(e.RoomName)!;
        if (c.Member.Name is null)
        {
            _names.Bind(c, e.ClientName!, _joinIds.TakeFor(c));
        }

        _applier.Apply(new RoomEvent(RoomEventKind.Join, room, c, c.Member.NameUtf8, default));
    }
}
