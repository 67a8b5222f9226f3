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
    private long _nextJoinId;
    private long _joinIdBlockEnd;

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

    /// <summary>The end of the JOIN_ID block this node hands ids out of (0 before the first).</summary>
    public long JoinIdBlockEnd => _joinIdBlockEnd;

    public void Join(Connection c, string roomName, string clientName, Room? room)
    {
        _requests.Begin(c);
        long joinId = c.Member.JoinId;
        if (joinId == 0 && _nextJoinId != 0 && _nextJoinId <= _joinIdBlockEnd)
        {
            joinId = _nextJoinId++;
        }

        _ = _backplane.ResolveJoinAsync(c, roomName, clientName, c.Member.Name is null, joinId, room?.Ref ?? -1);
    }

    /// <summary>Redis settled the JOIN: the connection is bound (its first JOIN) and the join event published.</summary>
    public void Ready(ClusterInbound item)
    {
        var c = item.Connection!;
        if (item.JoinIdBlockEnd != 0)
        {
            _nextJoinId = item.JoinId + 1;
            _joinIdBlockEnd = item.JoinIdBlockEnd;
        }

        if (!c.IsOpen)
        {
            c.Member.ClusterRequests.End();
            if (c.Member.Name is null)
            {
                _backplane.ReleaseName(item.ClientName!);
            }

            _closed(c);
            return;
        }

        if (c.Member.Name is null)
        {
            c.Member.Bind(item.ClientName!, item.JoinId);
            _handler.Names.Claim(item.ClientName!, c);
            _inbound.AddMember(c);
        }

        var room = _rooms.GetOrAdd(item.RoomName!, item.RoomRef);
        if (room is null)
        {
            c.Member.ClusterRequests.End();
            if (_rooms.Find(item.RoomRef) is not null)
            {
                _out.Error(c, ErrorCode.ClusterUnavailable, $"cluster unavailable: ref {item.RoomRef} is another room's here (Redis restarted and refs are being registered again)");
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
