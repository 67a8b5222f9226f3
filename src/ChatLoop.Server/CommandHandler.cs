using System.Buffers;
using ChatLoop.Protocol;
using ChatLoop.Server.Metrics;
using NLog;

namespace ChatLoop.Server;

/// <summary>
/// Applies requests (PROTOCOL.md §2): rooms change and blocks are queued on the members. It never
/// touches a socket. Each broadcast is encoded once and the same bytes are queued on every member.
/// </summary>
internal sealed class CommandHandler
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly ServerSettings _settings;
    private readonly RoomTable _rooms;
    private readonly Dictionary<string, Connection> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly ServerStats _stats;
    private readonly IServerControl _control;
    private readonly TickWork _work;
    private readonly ArrayBufferWriter<byte> _block = new(4096);
    private readonly ArrayBufferWriter<byte> _reply = new(1024);
    private readonly KeyValuePair<string, long>[] _statsScratch = new KeyValuePair<string, long>[StatsTable.KeyCount];
    private long _nextJoinId = 1;

    public CommandHandler(ServerSettings settings, ServerStats stats, IServerControl control, TickWork work)
    {
        _work = work;
        _settings = settings;
        _rooms = new RoomTable(settings.MaxRooms);
        _stats = stats;
        _control = control;
    }

    /// <summary>The listening port, for SERVER_IP/PORT and HELO (known once bound).</summary>
    public int Port { get; set; }

    public RoomTable Rooms => _rooms;

    public int NamesBound => _names.Count;

    public void Handle(Connection c, in Request request)
    {
        if (!c.IsOpen)
        {
            return;
        }

        _stats.Requests[(int)request.Kind]++;
        switch (request.Kind)
        {
            case RequestKind.Join: Join(c, request.RoomName!, request.ClientName!); break;
            case RequestKind.Leave: Leave(c, request); break;
            case RequestKind.Chat: Chat(c, request); break;
            case RequestKind.Disconnect: c.MarkClosing("DISCONNECT", hard: false); break;
            case RequestKind.Helo: ServerBlocks.Helo(NewReply(), request.Message.Span, c.LocalIp, Port, _settings.StudentId); SendReply(c); break;
            case RequestKind.Help: ServerBlocks.Help(NewReply()); SendReply(c); break;
            case RequestKind.Stats: Stats(c); break;
            case RequestKind.KillService: KillService(c); break;
            case RequestKind.Http:
                Log.Warn("Connection {Id} from {Remote} sent an HTTP request line: closed (cross-protocol guard)", c.Id, c.Remote);
                _stats.CountCutOff(CutOffReason.HttpRequest);
                c.MarkClosing("HTTP request line", hard: true);
                break;
            case RequestKind.Invalid when request.IsFatal: Fail(c, request.Error, request.ErrorDescription!); break;
            case RequestKind.Invalid: Error(c, request.Error, request.ErrorDescription!); break;
            default: Error(c, ErrorCode.UnknownRequest, "unknown request"); break;
        }
    }

    /// <summary>
    /// Takes a closing connection out of every room, in ascending ROOM_REF order, sending each room's
    /// members (itself included) the "has left" notice, and frees its name (PROTOCOL.md §2.4).
    /// </summary>
    public void Retire(Connection c)
    {
        if (c.Retired)
        {
            return;
        }

        if (c.Rooms is { } rooms)
        {
            while (rooms.Count > 0)
            {
                LeaveWithNotice(c, rooms[0]);
            }
        }

        if (c.Name is { } name && _names.TryGetValue(name, out var holder) && holder == c)
        {
            _names.Remove(name);
        }

        c.Retired = true;
    }

    /// <summary>Sends an ERROR, then closes the connection (codes 3, 9, 10, 11).</summary>
    public void Fail(Connection c, ErrorCode code, string description)
    {
        if (!c.IsOpen)
        {
            return;
        }

        _reply.ResetWrittenCount();
        ServerBlocks.Error(_reply, code, description);
        c.EnqueueFinal(_reply.WrittenSpan);
        _stats.CountFatalError(code);
        _stats.BlocksOut++;
        Log.Info("Connection {Id} from {Remote}: ERROR {Code} {Description}; closing", c.Id, c.Remote, (int)code, description);
        c.MarkClosing($"error {(int)code}: {description}", hard: false);
    }

    private void Join(Connection c, string roomName, string clientName)
    {
        if (c.Name is { } bound && !string.Equals(bound, clientName, StringComparison.OrdinalIgnoreCase))
        {
            Error(c, ErrorCode.InvalidName, $"this connection joined as '{bound}'; it cannot join as '{clientName}'");
            return;
        }

        if (c.Name is null && _names.TryGetValue(clientName, out var holder) && holder != c)
        {
            Error(c, ErrorCode.InvalidName, $"name in use: '{clientName}'");
            return;
        }

        var existing = _rooms.Find(roomName);
        if (existing is not null && c.IsIn(existing))
        {
            ServerBlocks.Joined(NewReply(), existing.Name, c.LocalIp, Port, existing.Ref, c.JoinId);
            SendReply(c);
            _block.ResetWrittenCount();
            ServerBlocks.JoinNotice(_block, existing.Ref, c.NameUtf8);
            Deliver(c, _block.WrittenSpan);
            return;
        }

        if ((c.Rooms?.Count ?? 0) >= _settings.MaxRoomsPerClient)
        {
            Error(c, ErrorCode.LimitReached, $"limit reached: at most {_settings.MaxRoomsPerClient} rooms per client");
            return;
        }

        var room = existing ?? _rooms.GetOrAdd(roomName);
        if (room is null)
        {
            Error(c, ErrorCode.LimitReached, $"limit reached: the server has {_settings.MaxRooms} rooms in use");
            return;
        }

        if (c.Name is null)
        {
            c.Bind(clientName, _nextJoinId++);
            _names[clientName] = c;
        }

        _rooms.AddMember(room, c);
        c.AddRoom(room);
        Log.Debug("Connection {Id} ({Name}) joined {Room} (ref {Ref})", c.Id, c.Name, room.Name, room.Ref);
        ServerBlocks.Joined(NewReply(), room.Name, c.LocalIp, Port, room.Ref, c.JoinId);
        SendReply(c);
        _block.ResetWrittenCount();
        ServerBlocks.JoinNotice(_block, room.Ref, c.NameUtf8);
        Broadcast(room, _block.WrittenSpan);
    }

    /// <summary>
    /// LEAVE is idempotent (PROTOCOL.md §2.2): a room the connection is not in, or one that no longer
    /// exists, gets the same LEFT_CHATROOM reply, with the connection's own JOIN_ID, and no notice. Only a
    /// connection that has joined nothing yet, so has no JOIN_ID to reply with, is refused (code 5).
    /// </summary>
    private void Leave(Connection c, in Request request)
    {
        if (!ConnectionAuthority.TryResolveRoomRef(c, request, out long roomRef))
        {
            Error(c, ErrorCode.MalformedRequest, ConnectionAuthority.UnresolvedRoomRef(request));
            return;
        }

        if (!ConnectionAuthority.TryGetOwnJoinId(c, request.JoinId, out long joinId))
        {
            Error(c, ErrorCode.NotMember, $"not a member of room {roomRef}: this connection has not joined a room");
            return;
        }

        ServerBlocks.Left(NewReply(), roomRef, joinId);
        SendReply(c);
        if (_rooms.Find(roomRef) is { } room && c.IsIn(room))
        {
            LeaveWithNotice(c, room);
        }
    }

    /// <summary>The request's JOIN_ID plays no part (PROTOCOL.md §2.3): membership of the room is what counts.</summary>
    private void Chat(Connection c, in Request request)
    {
        if (!ConnectionAuthority.TryResolveRoomRef(c, request, out long roomRef))
        {
            Error(c, ErrorCode.MalformedRequest, ConnectionAuthority.UnresolvedRoomRef(request));
            return;
        }

        var room = _rooms.Find(roomRef);
        if (room is null)
        {
            Error(c, ErrorCode.NoSuchRoom, $"no such room: {roomRef}");
            return;
        }

        if (!c.IsIn(room))
        {
            Error(c, ErrorCode.NotMember, $"not a member of room {roomRef}");
            return;
        }

        _stats.MessagesIn++;
        _block.ResetWrittenCount();
        ServerBlocks.Chat(_block, room.Ref, c.NameUtf8, request.Message.Span);
        Broadcast(room, _block.WrittenSpan);
    }

    private void LeaveWithNotice(Connection c, Room room)
    {
        _block.ResetWrittenCount();
        ServerBlocks.LeaveNotice(_block, room.Ref, c.NameUtf8);
        Broadcast(room, _block.WrittenSpan);
        _rooms.RemoveMember(room, c);
        c.RemoveRoom(room);
    }

    private void Stats(Connection c)
    {
        int n = _stats.Fill(_statsScratch, _rooms.Count);
        _reply.ResetWrittenCount();
        ServerBlocks.Stats(_reply, _statsScratch.AsSpan(0, n));
        Deliver(c, _reply.WrittenSpan);
    }

    private void KillService(Connection c)
    {
        bool allowed = _settings.KillService switch
        {
            KillServicePolicy.Any => true,
            KillServicePolicy.Loopback => c.PeerIsLoopback,
            _ => false,
        };
        if (!allowed)
        {
            Error(c, ErrorCode.NotPermitted, _settings.KillService == KillServicePolicy.Off
                ? "not permitted: KILL_SERVICE is turned off on this server; start it with --kill-service any to allow it from any host"
                : "not permitted: KILL_SERVICE is accepted only from a loopback address; start the server with --kill-service any to allow it from any host");
            return;
        }

        Log.Info("KILL_SERVICE from connection {Id} ({Remote})", c.Id, c.Remote);
        _control.RequestShutdown($"KILL_SERVICE from {c.Remote}");
    }

    private void Broadcast(Room room, ReadOnlySpan<byte> block)
    {
        var members = room.Members;
        int count = members.Count;
        for (int i = 0; i < count; i++)
        {
            var member = members[i];
            if (!member.TryEnqueueFast(block))
            {
                DeliverSlow(member, block);
            }
        }

        _stats.DeliveriesOut += count;
        _stats.BlocksOut += count;
        _work.BytesQueued += (long)block.Length * count;
    }

    private void Deliver(Connection c, ReadOnlySpan<byte> block)
    {
        _stats.BlocksOut++;
        DeliverSlow(c, block);
    }

    private void DeliverSlow(Connection c, ReadOnlySpan<byte> block)
    {
        if (!c.Enqueue(block))
        {
            Fail(c, ErrorCode.TooSlow, $"too slow: more than {_settings.MaxOutboundBytes} bytes queued for this client");
        }
    }

    private ArrayBufferWriter<byte> NewReply()
    {
        _reply.ResetWrittenCount();
        return _reply;
    }

    private void SendReply(Connection c) => Deliver(c, _reply.WrittenSpan);

    private void Error(Connection c, ErrorCode code, string description)
    {
        Log.Info("Connection {Id} from {Remote}: ERROR {Code} {Description}", c.Id, c.Remote, (int)code, description);
        _stats.CountError(code);
        _reply.ResetWrittenCount();
        ServerBlocks.Error(_reply, code, description);
        Deliver(c, _reply.WrittenSpan);
    }
}
