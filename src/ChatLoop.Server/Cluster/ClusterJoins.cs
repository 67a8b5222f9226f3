using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;
using ChatLoop.Server.Sequencing;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// A JOIN on a cluster node: what Redis must settle first (the name's lease, a JOIN_ID, the room's ref) is
/// asked for off the reactor (<see cref="JoinResolver"/>), and when the answer comes back through the inbox
/// the connection is bound and its join event added to the tick's batch. It keeps the JOIN_ID block this
/// node hands ids out of. Reactor thread only.
/// </summary>
internal sealed class ClusterJoins
{
    private readonly RedisBackplane _backplane;
    private readonly CommandHandler _handler;
    private readonly RoomTable _rooms;
    private readonly Outbox _out;
    private readonly RequestWatch _requests;
    private readonly InboundApplier _inbound;
    private readonly Action<Connection, Room> _publishJoin;
    private readonly Action<Connection> _closed;

    public ClusterJoins(RedisBackplane backplane, CommandHandler handler, RequestWatch requests, InboundApplier inbound, Action<Connection, Room> publishJoin, Action<Connection> closed)
    {
        _backplane = backplane;
        _handler = handler;
        _rooms = handler.Rooms;
        _out = handler.Outbox;
        _requests = requests;
        _inbound = inbound;
        _publishJoin = publishJoin;
        _closed = closed;
    }

    /// <summary>The JOIN_IDs this node hands out: blocks from Redis.</summary>
    public JoinIdBlock JoinIds { get; } = JoinIdBlock.Empty();

    /// <summary>
    /// A JOIN local state allows: Redis is asked to claim the name (at the first JOIN), the room's ref when
    /// the room is new here, and a block of JOIN_IDs when none is at hand; answered by <see cref="Ready"/>.
    /// </summary>
    public void Join(Connection c, Room? room, string roomName, string clientName)
    {
        _requests.Begin(c);
        _ = _backplane.ResolveJoinAsync(c, roomName, clientName, c.Member.Name is null, JoinIds.TakeFor(c), room?.Ref ?? -1);
    }

    /// <summary>Redis settled the JOIN: the connection is bound (its first JOIN) and the join event published.</summary>
    public void Ready(Connection c, JoinAnswer answer)
    {
        if (answer.JoinIdBlockEnd != 0)
        {
            // A new block, its first id this connection's.
            JoinIds.Refill(answer.JoinId + 1, answer.JoinIdBlockEnd);
        }

        if (!c.IsOpen)
        {
            c.Member.ClusterRequests.End();
            if (c.Member.Name is null)
            {
                _backplane.ReleaseName(answer.ClientName);
            }

            _closed(c);
            return;
        }

        if (c.Member.Name is null)
        {
            _handler.Names.Bind(c, answer.ClientName, answer.JoinId);
            _inbound.AddMember(c);
        }

        var room = _rooms.GetOrAdd(answer.RoomName, answer.RoomRef);
        if (room is null)
        {
            c.Member.ClusterRequests.End();
            if (_rooms.Find(answer.RoomRef) is not null)
            {
                _out.Error(c, ErrorCode.ClusterUnavailable, $"cluster unavailable: ref {answer.RoomRef} is another room's here (Redis restarted and refs are being registered again)");
            }
            else
            {
                _out.Error(c, ErrorCode.LimitReached, "limit reached: this node's room table is full of rooms in use");
            }

            return;
        }

        _requests.Joining(c, room);

        // Recorded before the join is sequenced (the same connection keeps the order), so a reaper finds
        // every membership this node may hold; one Redis refuses is a no-op when reaped (SREM finds nothing).
        _backplane.RecordMember(c.Member.JoinId, c.Member.Name!, [.. c.Member.Rooms ?? [], room]);
        _publishJoin(c, room);
    }
}
