using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;
using ChatLoop.Server.Sequencing;
using NLog;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// Reactor thread: what this node's client hears when Redis did not apply its request: refused or lost
/// (ERROR 12), or found already made (the already-a-member or LEFT reply). A refusal for a join or leave
/// that was applied meanwhile is dropped: the client has its answer.
/// </summary>
internal sealed class RequestAnswers
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly RequestWatch _requests;
    private readonly LeaveRetries _leaves;
    private readonly Outbox _out;
    private readonly Action<Connection> _maybeFinishRetire;

    public RequestAnswers(RequestWatch requests, LeaveRetries leaves, Outbox outbox, Action<Connection> maybeFinishRetire)
    {
        _requests = requests;
        _leaves = leaves;
        _out = outbox;
        _maybeFinishRetire = maybeFinishRetire;
    }

    public void Failed(Connection c, RoomEventKind kind, Room? room, string why)
    {
        if (AlreadyApplied(c, kind, room))
        {
            // The batch's reply was lost (Redis went away just after running it), but this join or leave came
            // back through the inbox first and was applied: its client has its answer, and its request ended.
            Log.Debug("Cluster: a batch's reply was lost ({Why}) after its {Kind} of room {Ref} was applied", why, kind, room!.Ref);
            return;
        }

        switch (kind)
        {
            case RoomEventKind.Gone:
                _leaves.Failed(c);
                return;
            case RoomEventKind.Join:
                _requests.JoinEnded(c);
                c.Member.ClusterRequests.End();
                break;
            case RoomEventKind.Leave:
                c.Member.ClusterRequests.End();
                break;
        }

        _out.Error(c, ErrorCode.ClusterUnavailable, "cluster unavailable: " + why);
        _maybeFinishRetire(c);
    }

    /// <summary>
    /// A join whose member is in the room, or a leave whose member is not, was applied already: a member has one
    /// JOIN or LEAVE of a room under way at most (the handler answers a second one from local state).
    /// </summary>
    private static bool AlreadyApplied(Connection c, RoomEventKind kind, Room? room) =>
        room is not null && kind switch
        {
            RoomEventKind.Join => c.Member.IsIn(room),
            RoomEventKind.Leave => !c.Member.IsIn(room),
            _ => false,
        };

    public void Duplicate(Connection c, RoomEventKind kind, Room room)
    {
        switch (kind)
        {
            case RoomEventKind.Join:
                _requests.JoinEnded(c);
                c.Member.ClusterRequests.End();
                _out.AlreadyMember(c, room);
                break;
            case RoomEventKind.Leave:
                c.Member.ClusterRequests.End();
                _out.Left(c, room.Ref, c.Member.JoinId);
                break;
            case RoomEventKind.Gone:
                // Already left in Redis (by an earlier try, or by a reaper): its event removes the member here.
                _leaves.Taken(c, room.Ref);
                break;
        }

        _maybeFinishRetire(c);
    }
}
