using ChatLoop.Protocol;
using ChatLoop.Server.Rooms;
using NLog;

namespace ChatLoop.Server.Sequencing;

/// <summary>
/// Applies sequenced room events to this node: local membership changes and blocks are queued for the
/// local members of the room. The same code runs for an event applied at once (one node) and for one
/// that came back from the cluster's backplane.
/// </summary>
internal sealed class EventApplier
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly RoomTable _rooms;
    private readonly Outbox _out;

    public EventApplier(RoomTable rooms, Outbox outbox)
    {
        _rooms = rooms;
        _out = outbox;
    }

    /// <summary>Applies a sequenced event (the sequencer has settled its room).</summary>
    public void Apply(in RoomEvent e)
    {
        switch (e.Kind)
        {
            case RoomEventKind.Chat:
                var room = e.Room!;
                ServerBlocks.Chat(_out.NewBlock(), room.Ref, e.Name, e.Message);
                _out.Broadcast(room);
                break;
            case RoomEventKind.Join:
                Join(e);
                break;
            case RoomEventKind.Leave:
            case RoomEventKind.Gone:
                Leave(e);
                break;
        }
    }

    private void Join(in RoomEvent e)
    {
        var room = e.Room!;
        if (e.Origin is { } c)
        {
            if (c.Member.IsIn(room))
            {
                _out.AlreadyMember(c, room);
                return;
            }

            _out.Joined(c, room);

            _rooms.AddMember(room, c);
            c.AddRoom(room);
            Log.Debug("Connection {Id} ({Name}) joined {Room} (ref {Ref})", c.Id, c.Member.Name, room.Name, room.Ref);
        }

        ServerBlocks.JoinNotice(_out.NewBlock(), room.Ref, e.Name);
        _out.Broadcast(room);
    }

    private void Leave(in RoomEvent e)
    {
        var room = e.Room!;
        var c = e.Origin;
        if (c is not null && e.Kind == RoomEventKind.Leave)
        {
            _out.Left(c, room.Ref, c.Member.JoinId);
        }

        if (c is not null && !c.Member.IsIn(room))
        {
            return;
        }

        ServerBlocks.LeaveNotice(_out.NewBlock(), room.Ref, e.Name);
        _out.Broadcast(room);
        if (c is not null)
        {
            _rooms.RemoveMember(room, c);
            c.RemoveRoom(room);
        }
    }
}
