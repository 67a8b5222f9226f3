using ChatLoop.Protocol;
using ChatLoop.Server.Connections;
using ChatLoop.Server.Metrics;
using ChatLoop.Server.Reactor;
using ChatLoop.Server.Sequencing;
using NLog;

namespace ChatLoop.Server.Rooms;

/// <summary>
/// Validates each request (PROTOCOL.md §2) against this node's state and turns a valid one into a room
/// event for the sequencer; requests that change no room (HELO, STATS, a repeated JOIN or LEAVE) are
/// answered here. It never touches a socket.
/// </summary>
internal sealed class CommandHandler
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    private readonly ServerSettings _settings;
    private readonly RoomTable _rooms;
    private readonly NameTable _names = new();
    private readonly ServerStats _stats;
    private readonly IServerControl _control;
    private readonly Outbox _out;
    private readonly List<Room> _leaving = [];
    private readonly KeyValuePair<string, long>[] _statsScratch = new KeyValuePair<string, long>[StatsTable.KeyCount];
    private readonly KeyValuePair<string, string>[] _statsTexts = new KeyValuePair<string, string>[4];
    private int _port;

    public CommandHandler(ServerSettings settings, ServerStats stats, IServerControl control, TickWork work)
    {
        _settings = settings;
        _rooms = new RoomTable(settings.MaxRooms);
        _stats = stats;
        _control = control;
        _out = new Outbox(settings, stats, work);
        Applier = new EventApplier(_rooms, _out);
        Sequencer = new LocalSequencer(_rooms, _names, Applier);
    }

    /// <summary>The listening port, for SERVER_IP/PORT and HELO (known once bound).</summary>
    public int Port
    {
        get => _port;
        set
        {
            _port = value;
            _out.Port = value;
        }
    }

    public RoomTable Rooms => _rooms;

    public NameTable Names => _names;

    public Outbox Outbox => _out;

    public EventApplier Applier { get; }

    /// <summary>Local by default; a cluster node puts its backplane's sequencer here before the first request.</summary>
    public ISequencer Sequencer { get; set; }

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
            case RequestKind.Helo: ServerBlocks.Helo(_out.NewReply(), request.Message.Span, c.LocalIp, Port, _settings.StudentId); _out.Send(c); break;
            case RequestKind.Help: ServerBlocks.Help(_out.NewReply()); _out.Send(c); break;
            case RequestKind.Stats: Stats(c); break;
            case RequestKind.KillService: KillService(c); break;
            case RequestKind.Http:
                Log.Warn("Connection {Id} from {Remote} sent an HTTP request line: closed (cross-protocol guard)", c.Id, c.Remote);
                _stats.CountCutOff(CutOffReason.HttpRequest);
                c.MarkClosing("HTTP request line", hard: true);
                break;
            case RequestKind.Invalid when request.IsFatal: Fail(c, request.Error, request.ErrorDescription!); break;
            case RequestKind.Invalid: _out.Error(c, request.Error, request.ErrorDescription!); break;
            default: _out.Error(c, ErrorCode.UnknownRequest, "unknown request"); break;
        }
    }

    /// <summary>
    /// Takes a closing connection out of every room, in ascending ROOM_REF order, each room's members (itself
    /// included) getting the "has left" notice, and frees its name (PROTOCOL.md §2.4). In a cluster the
    /// leaving is sequenced like any event, and the sequencer finishes the retiring once it is applied.
    /// </summary>
    public void Retire(Connection c)
    {
        if (!c.Member.StartRetiring())
        {
            return;
        }

        if (c.Member.Rooms is { } rooms)
        {
            _leaving.Clear();
            _leaving.AddRange(rooms);
            foreach (var room in _leaving)
            {
                Sequencer.Submit(new RoomEvent(RoomEventKind.Gone, room, c, c.Member.NameUtf8, default));
            }

            _leaving.Clear();
        }

        if (Sequencer.AppliesAtOnce)
        {
            FinishRetire(c);
        }
        else
        {
            Sequencer.Retiring(c);
        }
    }

    /// <summary>The connection has left every room: its name is free and nothing more is queued for it.</summary>
    public void FinishRetire(Connection c)
    {
        _names.Release(c);
        c.Member.MarkRetired();
    }

    /// <summary>Sends an ERROR, then closes the connection (codes 3, 9, 10, 11).</summary>
    public void Fail(Connection c, ErrorCode code, string description) => _out.Fail(c, code, description);

    private void Join(Connection c, string roomName, string clientName)
    {
        if (c.Member.Name is { } bound && !string.Equals(bound, clientName, StringComparison.OrdinalIgnoreCase))
        {
            _out.Error(c, ErrorCode.InvalidName, $"this connection joined as '{bound}'; it cannot join as '{clientName}'");
            return;
        }

        if (c.Member.Name is null && _names.Holder(clientName) is { } holder && holder != c)
        {
            _out.Error(c, ErrorCode.InvalidName, $"name in use: '{clientName}'");
            return;
        }

        var existing = _rooms.Find(roomName);
        if (existing is not null && c.Member.IsIn(existing))
        {
            // Changes no room: answered here, on every node the same way (PROTOCOL.md §2.1).
            _out.AlreadyMember(c, existing);
            return;
        }

        if ((c.Member.Rooms?.Count ?? 0) >= _settings.MaxRoomsPerClient)
        {
            _out.Error(c, ErrorCode.LimitReached, $"limit reached: at most {_settings.MaxRoomsPerClient} rooms per client");
            return;
        }

        if (existing is null && !_rooms.CanAdd)
        {
            _out.Error(c, ErrorCode.LimitReached, $"limit reached: the server has {_settings.MaxRooms} rooms in use");
            return;
        }

        if (!Available(c))
        {
            return;
        }

        Sequencer.Submit(RoomEvent.Join(c, existing, roomName, clientName));
    }

    /// <summary>
    /// LEAVE is idempotent (PROTOCOL.md §2.2): a room the connection is not in, or one that no longer
    /// exists, gets the same LEFT_CHATROOM reply, with the connection's own JOIN_ID, and no notice. Only a
    /// connection that has joined nothing yet, so has no JOIN_ID to reply with, is refused (code 5). A
    /// member's leaving is a room event: its reply and notice come when the event is applied.
    /// </summary>
    private void Leave(Connection c, in Request request)
    {
        if (!ConnectionAuthority.TryResolveRoomRef(c, request, out long roomRef))
        {
            _out.Error(c, ErrorCode.MalformedRequest, ConnectionAuthority.UnresolvedRoomRef(request));
            return;
        }

        if (!ConnectionAuthority.TryGetOwnJoinId(c, request.JoinId, out long joinId))
        {
            _out.Error(c, ErrorCode.NotMember, $"not a member of room {roomRef}: this connection has not joined a room");
            return;
        }

        if (_rooms.Find(roomRef) is { } room && c.Member.IsIn(room))
        {
            if (Available(c))
            {
                Sequencer.Submit(new RoomEvent(RoomEventKind.Leave, room, c, c.Member.NameUtf8, default));
            }

            return;
        }

        _out.Left(c, roomRef, joinId);
    }

    /// <summary>The request's JOIN_ID plays no part (PROTOCOL.md §2.3): membership of the room is what counts.</summary>
    private void Chat(Connection c, in Request request)
    {
        if (!ConnectionAuthority.TryResolveRoomRef(c, request, out long roomRef))
        {
            _out.Error(c, ErrorCode.MalformedRequest, ConnectionAuthority.UnresolvedRoomRef(request));
            return;
        }

        var room = _rooms.Find(roomRef);
        if (room is null)
        {
            _out.Error(c, ErrorCode.NoSuchRoom, $"no such room: {roomRef}");
            return;
        }

        if (!c.Member.IsIn(room))
        {
            _out.Error(c, ErrorCode.NotMember, $"not a member of room {roomRef}");
            return;
        }

        if (!Available(c))
        {
            return;
        }

        _stats.MessagesIn++;
        Sequencer.Submit(new RoomEvent(RoomEventKind.Chat, room, c, c.Member.NameUtf8, request.Message.Span));
    }

    /// <summary>False, after ERROR 12, when the cluster cannot sequence events now (PROTOCOL.md §7).</summary>
    private bool Available(Connection c)
    {
        if (Sequencer.Unavailable is not { } why)
        {
            return true;
        }

        _out.Error(c, ErrorCode.ClusterUnavailable, "cluster unavailable: " + why);
        return false;
    }

    private void Stats(Connection c)
    {
        // A cluster's counters come in through ServerStats.Supplier, in the table's order.
        int n = _stats.Fill(_statsScratch, _rooms.Count);
        int texts = _stats.FillWords(_statsTexts);
        if (Sequencer.State is { } state)
        {
            _statsTexts[texts++] = new("CLUSTER_STATE", state);
        }

        ServerBlocks.Stats(_out.NewReply(), _statsScratch.AsSpan(0, n), _statsTexts.AsSpan(0, texts));
        _out.Send(c);
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
            _out.Error(c, ErrorCode.NotPermitted, _settings.KillService == KillServicePolicy.Off
                ? "not permitted: KILL_SERVICE is turned off on this server; start it with --kill-service any to allow it from any host"
                : "not permitted: KILL_SERVICE is accepted only from a loopback address; start the server with --kill-service any to allow it from any host");
            return;
        }

        Log.Info("KILL_SERVICE from connection {Id} ({Remote})", c.Id, c.Remote);
        _control.RequestShutdown($"KILL_SERVICE from {c.Remote}");
    }
}
